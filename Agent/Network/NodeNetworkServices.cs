using System.Net;
using GitOrch.Agent.Network.Dns;
using GitOrch.Agent.Network.Iptables;
using GitOrch.Agent.Network.Routes;
using GitOrch.Agent.Proxy;
using GitOrch.Api.Client;
using Microsoft.Extensions.Logging;

namespace GitOrch.Agent.Network;

/// <summary>
/// What a node with the Pod network runs besides the sandboxes: one watch of Services and Endpoints feeding the
/// iptables proxy and the cluster DNS, and the host-gw routes to the other nodes' podCIDRs. The proxy mode is chosen
/// here at start, with a log line saying why: iptables unless asked for userspace or unless this host cannot write
/// nat rules (then the agent's userspace proxy serves Services, <see cref="UserspaceProxy"/> true).
/// </summary>
public sealed class NodeNetworkServices : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watch;

    private NodeNetworkServices(ServiceWatcher watcher, IptablesProxy? iptables, ClusterDns? dns, HostGatewayRoutes? routes, CancellationTokenSource stop)
    {
        _stop = stop;
        Iptables = iptables;
        Dns = dns;
        Routes = routes;
        _watch = Task.Run(() => watcher.RunAsync(stop.Token), CancellationToken.None);
    }

    public IptablesProxy? Iptables { get; }

    public ClusterDns? Dns { get; }

    public HostGatewayRoutes? Routes { get; }

    /// <summary>The userspace proxy is to serve Services (asked for, or iptables unavailable).</summary>
    public bool UserspaceProxy => Iptables == null;

    public static async Task<NodeNetworkServices> StartAsync(AgentOptions agent, GitOrchClient client, PodNetwork network, ILogger logger, CancellationToken ct)
    {
        var options = agent.PodNetwork!;
        var watcher = new ServiceWatcher(client, new ServiceProxyOptions { NodeName = agent.NodeName }, logger);
        IptablesProxy? iptables = null;
        if (options.ProxyMode == ProxyModes.Iptables)
        {
            var why = await IptablesProxy.UnavailableReasonAsync(ct).ConfigureAwait(false);
            if (why == null)
            {
                NetworkLog.ProxyMode(logger, ProxyModes.Iptables, "nat rules can be written here (--proxy-mode iptables)");
                await EnableLocalnetRoutingAsync(ct).ConfigureAwait(false);
                iptables = new IptablesProxy(watcher, options.ChainPrefix, agent.NodeName, null, logger);
            }
            else
            {
                NetworkLog.ProxyMode(logger, ProxyModes.Userspace, "iptables mode unavailable: " + why);
            }
        }
        else
        {
            NetworkLog.ProxyMode(logger, ProxyModes.Userspace, "asked for with --proxy-mode userspace");
        }

        ClusterDns? dns = null;
        if (options.Dns)
        {
            var hostResolv = File.Exists("/etc/resolv.conf") ? await File.ReadAllTextAsync("/etc/resolv.conf", ct).ConfigureAwait(false) : "";
            var proxyAddress = string.IsNullOrEmpty(agent.ProxyAddress) ? agent.NodeIP : agent.ProxyAddress!;
            Func<Api.Model.Service, string?> address = iptables != null ? s => s.Spec?.ClusterIP : _ => proxyAddress;
            dns = new ClusterDns(watcher, options.ClusterDomain, options.DnsPort, address, ClusterDns.HostResolvers(hostResolv), logger);
            network.SandboxReady += gateway => dns.EnsureListening(gateway);
            if (network.Gateway is { } gw && BridgeExists(options.BridgeName))
            {
                dns.EnsureListening(IPAddress.Parse(gw));
            }
        }

        var routes = options.HostGatewayRoutes ? new HostGatewayRoutes(client, agent.NodeName, logger) : null;
        var stop = new CancellationTokenSource();
        var services = new NodeNetworkServices(watcher, iptables, dns, routes, stop);
        if (iptables != null)
        {
            await iptables.StartAsync(ct).ConfigureAwait(false);
        }

        routes?.Start();
        return services;
    }

    private static bool BridgeExists(string bridge) => Directory.Exists("/sys/class/net/" + bridge);

    /// <summary>
    /// NodePorts on loopback node addresses (127.0.0.x) are DNATed to Pods off the host: the kernel drops such
    /// packets unless route_localnet is on, which kube-proxy sets for the same reason. Best effort.
    /// </summary>
    private static async Task EnableLocalnetRoutingAsync(CancellationToken ct)
    {
        try
        {
            await File.WriteAllTextAsync("/proc/sys/net/ipv4/conf/all/route_localnet", "1", ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _watch.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        if (Iptables != null)
        {
            await Iptables.DisposeAsync().ConfigureAwait(false);
        }

        if (Dns != null)
        {
            await Dns.DisposeAsync().ConfigureAwait(false);
        }

        if (Routes != null)
        {
            await Routes.DisposeAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
    }
}
