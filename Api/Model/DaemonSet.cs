using System.Collections.Generic;

namespace GitOrch.Api.Model;

public sealed class DaemonSet : KubeObject<DaemonSetSpec, DaemonSetStatus>
{
}

public sealed class DaemonSetSpec : Extensible
{
    public LabelSelector? Selector { get; set; }
    public PodTemplateSpec Template { get; set; } = new();
    public DaemonSetUpdateStrategy? UpdateStrategy { get; set; }
    public int? MinReadySeconds { get; set; }
    public int? RevisionHistoryLimit { get; set; }
}

public sealed class DaemonSetUpdateStrategy : Extensible
{
    /// <summary>RollingUpdate (default) or OnDelete.</summary>
    public string? Type { get; set; }
    public RollingUpdateDaemonSet? RollingUpdate { get; set; }
}

public sealed class RollingUpdateDaemonSet : Extensible
{
    public IntOrString? MaxUnavailable { get; set; }
    public IntOrString? MaxSurge { get; set; }
}

public sealed class DaemonSetStatus : Extensible
{
    public int CurrentNumberScheduled { get; set; }
    public int NumberMisscheduled { get; set; }
    public int DesiredNumberScheduled { get; set; }
    public int NumberReady { get; set; }
    public int? UpdatedNumberScheduled { get; set; }
    public int? NumberAvailable { get; set; }
    public int? NumberUnavailable { get; set; }
    public long? ObservedGeneration { get; set; }
    public List<Condition>? Conditions { get; set; }
}
