using System.Collections.Generic;

namespace GitOrch.Api.Model;

public sealed class StatefulSet : KubeObject<StatefulSetSpec, StatefulSetStatus>
{
}

public sealed class StatefulSetSpec : Extensible
{
    public int? Replicas { get; set; }
    public LabelSelector? Selector { get; set; }
    public PodTemplateSpec Template { get; set; } = new();
    public List<PersistentVolumeClaim>? VolumeClaimTemplates { get; set; }
    public string? ServiceName { get; set; }
    /// <summary>OrderedReady (default) or Parallel.</summary>
    public string? PodManagementPolicy { get; set; }
    public StatefulSetUpdateStrategy? UpdateStrategy { get; set; }
    public int? RevisionHistoryLimit { get; set; }
    public int? MinReadySeconds { get; set; }
}

public sealed class StatefulSetUpdateStrategy : Extensible
{
    /// <summary>RollingUpdate (default) or OnDelete.</summary>
    public string? Type { get; set; }
    public RollingUpdateStatefulSetStrategy? RollingUpdate { get; set; }
}

public sealed class RollingUpdateStatefulSetStrategy : Extensible
{
    public int? Partition { get; set; }
    public IntOrString? MaxUnavailable { get; set; }
}

/// <summary>Only as a StatefulSet volumeClaimTemplate: GitOrch gives each ordinal a node-local Docker volume.</summary>
public sealed class PersistentVolumeClaim : Extensible
{
    public ObjectMeta Metadata { get; set; } = new();
    public PersistentVolumeClaimSpec? Spec { get; set; }
}

public sealed class PersistentVolumeClaimSpec : Extensible
{
    public List<string>? AccessModes { get; set; }
    public ResourceRequirements? Resources { get; set; }
    public string? StorageClassName { get; set; }
}

public sealed class StatefulSetStatus : Extensible
{
    public long? ObservedGeneration { get; set; }
    public int Replicas { get; set; }
    public int? ReadyReplicas { get; set; }
    public int? CurrentReplicas { get; set; }
    public int? UpdatedReplicas { get; set; }
    public int? AvailableReplicas { get; set; }
    public string? CurrentRevision { get; set; }
    public string? UpdateRevision { get; set; }
    public List<Condition>? Conditions { get; set; }
}
