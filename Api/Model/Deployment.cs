using System.Collections.Generic;

namespace GitOrch.Api.Model;

public sealed class Deployment : KubeObject<DeploymentSpec, DeploymentStatus>
{
}

public sealed class DeploymentSpec : Extensible
{
    public int? Replicas { get; set; }
    public LabelSelector? Selector { get; set; }
    public PodTemplateSpec Template { get; set; } = new();
    public DeploymentStrategy? Strategy { get; set; }
    public int? MinReadySeconds { get; set; }
    public int? RevisionHistoryLimit { get; set; }
    public bool? Paused { get; set; }
    public int? ProgressDeadlineSeconds { get; set; }
}

public sealed class DeploymentStrategy : Extensible
{
    /// <summary>RollingUpdate (default) or Recreate.</summary>
    public string? Type { get; set; }
    public RollingUpdateDeployment? RollingUpdate { get; set; }
}

public sealed class RollingUpdateDeployment : Extensible
{
    public IntOrString? MaxUnavailable { get; set; }
    public IntOrString? MaxSurge { get; set; }
}

public sealed class DeploymentStatus : Extensible
{
    public long? ObservedGeneration { get; set; }
    public int? Replicas { get; set; }
    public int? UpdatedReplicas { get; set; }
    public int? ReadyReplicas { get; set; }
    public int? AvailableReplicas { get; set; }
    public int? UnavailableReplicas { get; set; }
    public List<Condition>? Conditions { get; set; }
    public int? CollisionCount { get; set; }
}

/// <summary>Body and answer of the scale subresource (autoscaling/v1 Scale).</summary>
public sealed class Scale : KubeObject<ScaleSpec, ScaleStatus>
{
}

public sealed class ScaleSpec : Extensible
{
    public int? Replicas { get; set; }
}

public sealed class ScaleStatus : Extensible
{
    public int Replicas { get; set; }
    public string? Selector { get; set; }
}
