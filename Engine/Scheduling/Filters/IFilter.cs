namespace GitOrch.Engine.Scheduling.Filters;

/// <summary>
/// One link of the filter chain. Returns false when the Pod cannot go on the node and adds the reason(s) a person reads
/// in the FailedScheduling event ("Insufficient memory"). Filters are pure reads of <see cref="NodeInfo"/>: no
/// allocation on the fit path, since each runs for hundreds of nodes per Pod.
/// </summary>
public interface IFilter
{
    string Name { get; }

    /// <summary>False when the Pod asks nothing of this filter (no nodeSelector, no host ports...): it is skipped for every node.</summary>
    bool AppliesTo(PodInfo pod) => true;

    bool Fits(PodInfo pod, NodeInfo node, List<string> reasons);
}
