using System;

namespace GitOrch.Api.Model;

/// <summary>
/// coordination.k8s.io/v1 Lease: who holds a lock, for how long. The Engines elect their leader through one
/// (<c>gitorch-system/gitorch-controllers</c>), as kube-controller-manager does, so <c>kubectl get lease -n gitorch-system</c>
/// shows which Engine runs the controllers.
/// </summary>
public sealed class Lease : KubeObject
{
    public LeaseSpec? Spec { get; set; }
}

public sealed class LeaseSpec : Extensible
{
    /// <summary>The identity of the current holder (an Engine: host name and a per-process id).</summary>
    public string? HolderIdentity { get; set; }

    /// <summary>How long a candidate waits after the last observed renewal before it may take the lease.</summary>
    public int? LeaseDurationSeconds { get; set; }

    public DateTimeOffset? AcquireTime { get; set; }

    public DateTimeOffset? RenewTime { get; set; }

    /// <summary>How many times the lease changed holders: the leadership term.</summary>
    public int? LeaseTransitions { get; set; }
}
