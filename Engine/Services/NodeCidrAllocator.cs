using GitOrch.Api.Model;
using GitOrch.Api.Networking;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Services;

/// <summary>
/// Gives every Node a <c>spec.podCIDR</c> (and <c>podCIDRs</c>): the next free slice of <see cref="ClusterNetworkOptions.NodeCidrMaskSize"/>
/// bits of the cluster CIDR, as Kubernetes' node IPAM controller does. The node's agent hands its Pods addresses
/// from it (CNI host-local) and every other node routes it to the node's address. A podCIDR, once given, never
/// changes (422 on an update that changes it); one the user wrote must not overlap another node's. When the
/// cluster CIDR is exhausted the Node is still registered, without a podCIDR: its agent names the cause on every
/// Pod that needs the Pod network, and the Node gets one as soon as another Node is deleted and it is updated.
/// </summary>
public sealed class NodeCidrAllocator : IAdmissionPlugin
{
    private readonly Ipv4Cidr _cluster;
    private readonly int _maskSize;

    public NodeCidrAllocator(Ipv4Cidr cluster, int maskSize)
    {
        _cluster = cluster;
        _maskSize = maskSize;
    }

    public void Admit(StoreVerb verb, KubeObject obj, KubeObject? old, IStoreView view)
    {
        if (obj is not Node node || verb is not (StoreVerb.Create or StoreVerb.Update))
        {
            return;
        }

        var spec = node.Spec ??= new NodeSpec();
        var before = (old as Node)?.Spec?.PodCIDR;
        var wanted = string.IsNullOrEmpty(spec.PodCIDR) ? spec.PodCIDRs?.FirstOrDefault() : spec.PodCIDR;
        if (string.IsNullOrEmpty(wanted))
        {
            wanted = before;
        }

        if (!string.IsNullOrEmpty(before) && wanted != before)
        {
            Throw(node, $"Invalid value: \"{wanted}\": field is immutable once set (was {before})");
        }

        var taken = TakenByOthers(node, view);
        if (string.IsNullOrEmpty(wanted))
        {
            // Exhausted: register the Node anyway (hostNetwork Pods still run there); its agent reports the cause.
            var free = Allocate(taken);
            if (free != null)
            {
                Set(spec, free.ToString());
            }

            return;
        }

        if (!Ipv4Cidr.TryParse(wanted, out var cidr))
        {
            Throw(node, $"Invalid value: \"{wanted}\": must be an IPv4 CIDR such as 10.244.1.0/24");
        }

        if (string.IsNullOrEmpty(before) && taken.FirstOrDefault(t => t.Cidr.Overlaps(cidr!)) is { Owner: { } owner })
        {
            Throw(node, $"Invalid value: \"{wanted}\": overlaps the podCIDR of node {owner}");
        }

        Set(spec, cidr!.ToString());
    }

    private static void Set(NodeSpec spec, string cidr)
    {
        spec.PodCIDR = cidr;
        spec.PodCIDRs = [cidr];
    }

    private static List<(Ipv4Cidr Cidr, string Owner)> TakenByOthers(Node node, IStoreView view)
    {
        var taken = new List<(Ipv4Cidr, string)>();
        foreach (var o in view.List(ResourceKinds.Node))
        {
            if (o is Node other && other.Metadata.Name != node.Metadata.Name && Ipv4Cidr.TryParse(other.Spec?.PodCIDR, out var c))
            {
                taken.Add((c!, other.Metadata.Name ?? ""));
            }
        }

        return taken;
    }

    /// <summary>The lowest free slice: a deleted Node's slice is given to the next Node, as Kubernetes' allocator does.</summary>
    private Ipv4Cidr? Allocate(List<(Ipv4Cidr Cidr, string Owner)> taken)
    {
        var count = 1L << (_maskSize - _cluster.Prefix);
        for (long i = 0; i < count; i++)
        {
            var candidate = _cluster.Subnet(_maskSize, i);
            if (!taken.Any(t => t.Cidr.Overlaps(candidate)))
            {
                return candidate;
            }
        }

        return null;
    }

    private static void Throw(Node node, string message)
        => throw StoreException.Invalid(ResourceKinds.Node, node.Metadata.Name,
            new List<StatusCause> { new() { Field = "spec.podCIDR", Reason = "FieldValueInvalid", Message = message } });
}
