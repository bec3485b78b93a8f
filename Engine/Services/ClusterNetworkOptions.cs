using GitOrch.Api.Networking;

namespace GitOrch.Engine.Services;

/// <summary>
/// The cluster's address plan, as kube-controller-manager's <c>--cluster-cidr</c>/<c>--node-cidr-mask-size</c> and
/// kube-apiserver's <c>--service-cluster-ip-range</c>: Pods get addresses from their node's podCIDR (a slice of
/// <see cref="ClusterCidr"/>), Services get virtual IPs from <see cref="ServiceCidr"/>. The two must not overlap.
/// </summary>
public sealed record ClusterNetworkOptions
{
    public const string DefaultClusterCidr = "10.244.0.0/16";
    public const string DefaultServiceCidr = "10.96.0.0/12";
    public const int DefaultNodeCidrMaskSize = 24;

    /// <summary>Pod addresses of the whole cluster (<c>--cluster-cidr</c>, default 10.244.0.0/16).</summary>
    public string ClusterCidr { get; init; } = DefaultClusterCidr;

    /// <summary>Service ClusterIPs (<c>--service-cidr</c>, default 10.96.0.0/12).</summary>
    public string ServiceCidr { get; init; } = DefaultServiceCidr;

    /// <summary>Prefix length of each node's podCIDR (<c>--node-cidr-mask-size</c>, default 24: 254 Pods per node, 256 nodes in a /16).</summary>
    public int NodeCidrMaskSize { get; init; } = DefaultNodeCidrMaskSize;

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting that is wrong.</summary>
    public (Ipv4Cidr Cluster, Ipv4Cidr Service) Validate()
    {
        var cluster = Parse(ClusterCidr, "cluster CIDR (--cluster-cidr)");
        var service = Parse(ServiceCidr, "service CIDR (--service-cidr)");
        if (NodeCidrMaskSize < cluster.Prefix || NodeCidrMaskSize > 30)
        {
            throw new ArgumentException($"node CIDR mask size (--node-cidr-mask-size) {NodeCidrMaskSize} must be between the cluster CIDR's prefix /{cluster.Prefix} and /30");
        }

        if (service.Prefix > 30)
        {
            throw new ArgumentException($"service CIDR (--service-cidr) {service} is too small: at least a /30 is needed");
        }

        if (cluster.Overlaps(service))
        {
            throw new ArgumentException($"cluster CIDR {cluster} and service CIDR {service} overlap");
        }

        return (cluster, service);
    }

    private static Ipv4Cidr Parse(string text, string what)
        => Ipv4Cidr.TryParse(text, out var cidr) ? cidr! : throw new ArgumentException($"{what} \"{text}\" is not an IPv4 CIDR such as 10.244.0.0/16");
}
