namespace GitOrch.Engine.Scheduling.Filters;

/// <summary>
/// CPU and memory requests against allocatable minus what is already requested (sums kept by <see cref="NodeInfo"/>,
/// never a rescan). Reports every resource that is short, as kube-scheduler does.
/// </summary>
public sealed class ResourcesFilter : IFilter
{
    public const string InsufficientCpu = "Insufficient cpu";
    public const string InsufficientMemory = "Insufficient memory";

    public string Name => "NodeResourcesFit";

    public bool AppliesTo(PodInfo pod) => pod.CpuMilli > 0 || pod.MemoryBytes > 0;

    public bool Fits(PodInfo pod, NodeInfo node, List<string> reasons)
    {
        var fits = true;
        if (pod.CpuMilli > 0 && node.RequestedCpuMilli + pod.CpuMilli > node.AllocatableCpuMilli)
        {
            reasons.Add(InsufficientCpu);
            fits = false;
        }

        if (pod.MemoryBytes > 0 && node.RequestedMemoryBytes + pod.MemoryBytes > node.AllocatableMemoryBytes)
        {
            reasons.Add(InsufficientMemory);
            fits = false;
        }

        return fits;
    }
}
