namespace GitOrch.Api.Model;

/// <summary>Taint keys the node lifecycle controller puts on Nodes (Kubernetes' names), and the effects taints have.</summary>
public static class WellKnownTaints
{
    /// <summary>The node stopped posting status (Ready=Unknown).</summary>
    public const string Unreachable = "node.kubernetes.io/unreachable";

    /// <summary>The node reports Ready=False.</summary>
    public const string NotReady = "node.kubernetes.io/not-ready";

    public const string DiskPressure = "node.kubernetes.io/disk-pressure";
    public const string MemoryPressure = "node.kubernetes.io/memory-pressure";
    public const string PidPressure = "node.kubernetes.io/pid-pressure";

    /// <summary>The node is cordoned (spec.unschedulable).</summary>
    public const string Unschedulable = "node.kubernetes.io/unschedulable";

    public const string NoSchedule = "NoSchedule";
    public const string PreferNoSchedule = "PreferNoSchedule";
    public const string NoExecute = "NoExecute";
}
