namespace GitOrch.Agent.Network;

/// <summary>The values of <c>--proxy-mode</c>.</summary>
public static class ProxyModes
{
    /// <summary>kube-proxy's iptables mode: ClusterIPs and NodePorts as NAT rules in the agent's own chains.</summary>
    public const string Iptables = "iptables";

    /// <summary>The agent's userspace TCP proxy: Services at the proxy address, for hosts where NAT rules cannot be written.</summary>
    public const string Userspace = "userspace";
}
