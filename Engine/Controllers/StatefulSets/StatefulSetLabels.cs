namespace GitOrch.Engine.Controllers.StatefulSets;

/// <summary>Labels and annotations of StatefulSet Pods (Kubernetes' names) and GitOrch's own bookkeeping on the StatefulSet.</summary>
public static class StatefulSetLabels
{
    public const string PodName = "statefulset.kubernetes.io/pod-name";
    public const string PodIndex = "apps.kubernetes.io/pod-index";
    public const string RevisionHash = "controller-revision-hash";

    /// <summary>
    /// On the StatefulSet: JSON map ordinal -> node where that ordinal's volumes live. Node-local Docker volumes cannot
    /// move, so a re-created ordinal is pinned to that node. Annotations survive Git applies (they are merged).
    /// </summary>
    public const string VolumeNodes = "gitorch.io/volume-nodes";

    /// <summary>
    /// On the StatefulSet: the Pod template of status.currentRevision while a partitioned or OnDelete rollout is under way,
    /// so an ordinal below the partition that is deleted comes back at the old revision (Kubernetes keeps this in a ControllerRevision).
    /// </summary>
    public const string CurrentTemplate = "gitorch.io/current-revision-template";
}
