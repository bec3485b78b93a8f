namespace GitOrch.Engine.Scheduling.Filters;

/// <summary>
/// Required pod anti-affinity with topologyKey kubernetes.io/hostname: no Pod on the node matches the term's selector.
/// Late in the chain because it walks the node's Pods. Only the incoming Pod's terms are checked (not the symmetric
/// terms of Pods already placed), and other topology keys are not supported yet.
/// </summary>
public sealed class PodAntiAffinityFilter : IFilter
{
    public const string HostnameTopology = "kubernetes.io/hostname";
    public const string Mismatch = "node(s) didn't match pod anti-affinity rules";

    public string Name => "PodAntiAffinity";

    public bool AppliesTo(PodInfo pod) => pod.AntiAffinity != null;

    public bool Fits(PodInfo pod, NodeInfo node, List<string> reasons)
    {
        if (pod.AntiAffinity == null || node.PodCount == 0)
        {
            return true;
        }

        foreach (var (term, selector) in pod.AntiAffinity)
        {
            if (term.TopologyKey != HostnameTopology)
            {
                continue;
            }

            foreach (var other in node.Pods)
            {
                var inScope = term.Namespaces is { Count: > 0 } ? term.Namespaces.Contains(other.Namespace ?? "") : other.Namespace == pod.Namespace;
                if (inScope && other.Key != pod.Key && selector.Matches(other.Labels))
                {
                    reasons.Add(Mismatch);
                    return false;
                }
            }
        }

        return true;
    }
}
