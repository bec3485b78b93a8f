using System.Collections.Generic;

namespace GitOrch.Api.Model;

public sealed class ReplicaSet : KubeObject<ReplicaSetSpec, ReplicaSetStatus>
{
}

public sealed class ReplicaSetSpec : Extensible
{
    public int? Replicas { get; set; }
    public int? MinReadySeconds { get; set; }
    public LabelSelector? Selector { get; set; }
    public PodTemplateSpec Template { get; set; } = new();
}

public sealed class ReplicaSetStatus : Extensible
{
    public int Replicas { get; set; }
    public int? FullyLabeledReplicas { get; set; }
    public int? ReadyReplicas { get; set; }
    public int? AvailableReplicas { get; set; }
    public long? ObservedGeneration { get; set; }
    public List<Condition>? Conditions { get; set; }
}
