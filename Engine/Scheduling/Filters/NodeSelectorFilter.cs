namespace GitOrch.Engine.Scheduling.Filters;

/// <summary>spec.nodeSelector: a few dictionary lookups.</summary>
public sealed class NodeSelectorFilter : IFilter
{
    public const string Mismatch = "node(s) didn't match Pod's node affinity/selector";

    public string Name => "NodeSelector";

    public bool AppliesTo(PodInfo pod) => pod.Pod.Spec?.NodeSelector is { Count: > 0 };

    public bool Fits(PodInfo pod, NodeInfo node, List<string> reasons)
    {
        var selector = pod.Pod.Spec?.NodeSelector;
        if (selector == null || selector.Count == 0)
        {
            return true;
        }

        var labels = node.Node.Metadata.Labels;
        foreach (var kv in selector)
        {
            if (labels == null || !labels.TryGetValue(kv.Key, out var v) || v != kv.Value)
            {
                reasons.Add(Mismatch);
                return false;
            }
        }

        return true;
    }
}
