namespace GitOrch.Engine.Scheduling.Filters;

/// <summary>
/// Required pod anti-affinity with topologyKey kubernetes.io/hostname, both ways as in Kubernetes: no Pod on the node
/// matches a term of the incoming Pod, and the incoming Pod matches no term of a Pod already there. Late in the chain
/// because it walks the node's Pods. Other topology keys are not supported yet.
/// </summary>
public sealed class PodAntiAffinityFilter : IFilter
{
    public const string HostnameTopology = "kubernetes.io/hostname";
    public const string Mismatch = "node(s) didn't match pod anti-affinity rules";
    public const string ExistingMismatch = "node(s) didn't satisfy existing pods anti-affinity rules";

    public string Name => "PodAntiAffinity";

    public bool AppliesTo(PodInfo pod) => true;

    public bool Fits(PodInfo pod, NodeInfo node, List<string> reasons)
    {
        foreach (var other in node.AntiAffinityPods)
        {
            if (other.Key != pod.Key && Repels(other, pod))
            {
                reasons.Add(ExistingMismatch);
                return false;
            }
        }

        if (pod.AntiAffinity != null)
        {
            foreach (var other in node.Pods)
            {
                if (other.Key != pod.Key && Repels(pod, other))
                {
                    reasons.Add(Mismatch);
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Whether a hostname term of <paramref name="owner"/> selects <paramref name="other"/> (namespaces: the term's, or the owner's own).</summary>
    private static bool Repels(PodInfo owner, PodInfo other)
    {
        foreach (var (term, selector) in owner.AntiAffinity!)
        {
            var inScope = term.Namespaces is { Count: > 0 } ? term.Namespaces.Contains(other.Namespace ?? "") : other.Namespace == owner.Namespace;
            if (term.TopologyKey == HostnameTopology && inScope && selector.Matches(other.Labels))
            {
                return true;
            }
        }

        return false;
    }
}
