namespace GitOrch.Engine.Scheduling.Filters;

/// <summary>Required node affinity: after nodeSelector because its terms and operators cost more to evaluate.</summary>
public sealed class NodeAffinityFilter : IFilter
{
    public string Name => "NodeAffinity";

    public bool AppliesTo(PodInfo pod) => pod.Pod.Spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution != null;

    public bool Fits(PodInfo pod, NodeInfo node, List<string> reasons)
    {
        var required = pod.Pod.Spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution;
        if (required == null || NodeSelectorMatcher.MatchesAny(required.NodeSelectorTerms, node.Node))
        {
            return true;
        }

        reasons.Add(NodeSelectorFilter.Mismatch);
        return false;
    }
}
