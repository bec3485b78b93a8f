namespace GitOrch.Engine.Scheduling.Filters;

/// <summary>NoSchedule and NoExecute taints must be tolerated (PreferNoSchedule only lowers a score in Kubernetes; ignored here).</summary>
public sealed class TaintTolerationFilter : IFilter
{
    public string Name => "TaintToleration";

    public bool Fits(PodInfo pod, NodeInfo node, List<string> reasons)
    {
        var taints = node.Node.Spec?.Taints;
        if (taints == null)
        {
            return true;
        }

        foreach (var taint in taints)
        {
            if (taint.Effect is not ("NoSchedule" or "NoExecute"))
            {
                continue;
            }

            if (Tolerations.Find(pod.Pod, taint) == null)
            {
                reasons.Add($"node(s) had untolerated taint {{{taint.Key}: {taint.Value}}}");
                return false;
            }
        }

        return true;
    }
}
