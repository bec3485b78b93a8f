namespace GitOrch.Agent.Network;

/// <summary>
/// How the agent gives Pods their own network (issue 15). Set on <see cref="AgentOptions.PodNetwork"/>; null there
/// keeps every Pod on the host's network. Defaults are what <c>gitorch agent</c> uses. Several agents on one host
/// (tests, netns-simulated hosts) need distinct <see cref="NetworkName"/>, <see cref="BridgeName"/> and
/// <see cref="ChainPrefix"/>, and distinct podCIDRs (one Engine hands those out without overlap).
/// </summary>
public sealed record PodNetworkOptions
{
    public const string DefaultCniBinDir = "/usr/lib/cni";
    public const string DefaultNetworkName = "gitorch";
    public const string DefaultBridgeName = "gitorch0";
    public const string DefaultChainPrefix = "GITORCH";
    public const string DefaultSandboxImage = "gitorch/pause:local";
    public const string DefaultClusterDomain = "cluster.local";

    /// <summary>
    /// Where the CNI network configuration is read (<c>--cni-conf-dir</c>): the first <c>*.conflist</c> by name, as
    /// libcni picks. Null: <c>&lt;data-dir&gt;/cni/net.d</c>. When the directory holds none, the agent writes its default
    /// (bridge + host-local over the node's podCIDR, portmap) there as <c>50-gitorch.conflist</c>.
    /// </summary>
    public string? CniConfDir { get; init; }

    /// <summary>Where the CNI plugin binaries are (<c>--cni-bin-dir</c>); Debian's containernetworking-plugins put them in /usr/lib/cni.</summary>
    public string CniBinDir { get; init; } = DefaultCniBinDir;

    /// <summary>Name of the network in the default conflist (also host-local's store folder).</summary>
    public string NetworkName { get; init; } = DefaultNetworkName;

    /// <summary>The Linux bridge of the default conflist (at most 15 characters); its address is the Pods' gateway and DNS server.</summary>
    public string BridgeName { get; init; } = DefaultBridgeName;

    /// <summary>Prefix of this agent's iptables chains (<c>GITORCH-SERVICES</c>, <c>GITORCH-SVC-…</c>); at most 10 characters.</summary>
    public string ChainPrefix { get; init; } = DefaultChainPrefix;

    /// <summary>Service routing: <see cref="ProxyModes.Iptables"/> (NAT, default) or <see cref="ProxyModes.Userspace"/> (the agent's TCP proxy).</summary>
    public string ProxyMode { get; init; } = ProxyModes.Iptables;

    /// <summary>Image of the Pod sandbox; built at start from the host's busybox when it is missing (nothing is pulled).</summary>
    public string SandboxImage { get; init; } = DefaultSandboxImage;

    /// <summary>The host's busybox from which <see cref="SandboxImage"/> is built (Debian's busybox-static).</summary>
    public string BusyboxPath { get; init; } = "/bin/busybox";

    /// <summary>DNS suffix of Services: <c>&lt;svc&gt;.&lt;ns&gt;.svc.&lt;domain&gt;</c>.</summary>
    public string ClusterDomain { get; init; } = DefaultClusterDomain;

    /// <summary>Run the node-local DNS server on the bridge gateway address (default true).</summary>
    public bool Dns { get; init; } = true;

    /// <summary>Port of the DNS server (53; tests of the server alone take a free one).</summary>
    public int DnsPort { get; init; } = 53;

    /// <summary>Route every other node's podCIDR via its node address (flannel's host-gw), default true.</summary>
    public bool HostGatewayRoutes { get; init; } = true;

    /// <summary>
    /// Options for a network called <paramref name="name"/> (lower-case letters, digits, '-'; at most 10): bridge
    /// <c>name0</c>, chains <c>NAME-…</c>. Throws <see cref="ArgumentException"/> naming what is wrong with it.
    /// </summary>
    public static PodNetworkOptions Named(string name)
    {
        if (name.Length is 0 or > 10 || !name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') || name.StartsWith('-'))
        {
            throw new ArgumentException($"network name \"{name}\" must be 1-10 lower-case letters, digits or '-' (it names the bridge {name}0 and the iptables chains)");
        }

        return new PodNetworkOptions { NetworkName = name, BridgeName = name + "0", ChainPrefix = name.ToUpperInvariant() };
    }

    /// <summary>Deadline of one CNI plugin call.</summary>
    public TimeSpan CniTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
