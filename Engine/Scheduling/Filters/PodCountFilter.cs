namespace GitOrch.Engine.Scheduling.Filters;

/// <summary>One integer comparison: second.</summary>
public sealed class PodCountFilter : IFilter
{
    public const string TooManyPods = "Too many pods";

    public string Name => "PodCount";

    public bool Fits(PodInfo pod, NodeInfo node, List<string> reasons)
    {
        if (node.PodCount + 1 > node.AllocatablePods)
        {
            reasons.Add(TooManyPods);
            return false;
        }

        return true;
    }
}
