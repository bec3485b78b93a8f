using System.Text.Json.Nodes;
using GitOrch.Agent.Network.Cni;
using GitOrch.Agent.Network.Sandbox;
using GitOrch.Agent.Runtime;
using GitOrch.Api.Client;
using GitOrch.Api.Model;
using Microsoft.Extensions.Logging;

namespace GitOrch.Agent.Network;

/// <summary>
/// The node's Pod network, as kubelet + containerd + CNI make it: at start it checks that the conflist's plugins are
/// installed (naming a missing one), writes the default conflist for the node's podCIDR when the directory has none,
/// builds the sandbox image and releases host-local addresses nobody holds any more; then, per Pod, it keeps one
/// sandbox container with a CNI-configured namespace (<see cref="EnsureAsync"/>) and tears it down with CNI DEL
/// (<see cref="TeardownAsync"/>). Each sandbox's CNI result is cached on disk so CHECK and DEL after an agent restart
/// get the <c>prevResult</c> the spec asks for, and the Pod keeps its address.
/// </summary>
public sealed partial class PodNetwork
{
    private static readonly JsonObject LoopbackPlugin = new() { ["type"] = "loopback" };
    private readonly AgentOptions _agent;
    private readonly IContainerRuntime _docker;
    private readonly GitOrchClient _client;
    private readonly ILogger _logger;
    private readonly CniRuntime _cni;
    private readonly string _resultsDir;
    private readonly HashSet<string> _checked = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _setupGate = new(1, 1);
    private CniConfList? _list;
    private CniConfList _loopback = null!;

    private PodNetwork(AgentOptions agent, IContainerRuntime docker, GitOrchClient client, ILogger logger)
    {
        _agent = agent;
        _docker = docker;
        _client = client;
        _logger = logger;
        _cni = new CniRuntime(Options.CniBinDir, Options.CniTimeout);
        _resultsDir = Path.Combine(agent.DataDir, "cni", "results");
    }

    public PodNetworkOptions Options => _agent.PodNetwork!;

    /// <summary>Raised with the Pods' gateway after each sandbox is networked (the DNS server starts listening there).</summary>
    public event Action<System.Net.IPAddress>? SandboxReady;

    /// <summary>The node's podCIDR once known.</summary>
    public string? PodCidr { get; private set; }

    /// <summary>The conflist in use (null until the node has a podCIDR, when the default one is written).</summary>
    public string? ConfListPath => _list?.Path;

    public string ConfDir => Options.CniConfDir ?? Path.Combine(_agent.DataDir, "cni", "net.d");

    /// <summary>host-local's store of the default conflist.</summary>
    public string IpamDataDir => Path.Combine(_agent.DataDir, "cni", "ipam");

    /// <summary>The node's DNS server address when known: the bridge gateway, the first address of the podCIDR.</summary>
    public string? Gateway => PodCidr == null ? null : Api.Networking.Ipv4Cidr.Parse(PodCidr).At(1).ToString();

    /// <summary>Checks plugins, writes the conflist, builds the sandbox image, reconciles host-local. Throws naming what is missing.</summary>
    public static async Task<PodNetwork> StartAsync(AgentOptions agent, IContainerRuntime docker, GitOrchClient client, ILogger logger, CancellationToken ct)
    {
        var network = new PodNetwork(agent, docker, client, logger);
        network._loopback = LoopbackList();
        var conflist = CniConfList.LoadFirst(network.ConfDir);
        var types = (conflist?.Types ?? ["bridge", "host-local", "portmap"]).Append("loopback");
        if (conflist?.Plugins.FirstOrDefault(p => p["ipam"]?["type"] != null)?["ipam"]?["type"]?.GetValue<string>() is { } ipam)
        {
            types = types.Append(ipam);
        }

        var missing = network._cni.Missing(types);
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"CNI plugin{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)} not found in {agent.PodNetwork!.CniBinDir} (--cni-bin-dir); "
                + $"install Debian's containernetworking-plugins{(conflist == null ? "" : ", needed by " + conflist.Path)}");
        }

        await SandboxImage.EnsureAsync(docker, network.Options, ct).ConfigureAwait(false);
        Directory.CreateDirectory(network._resultsDir);
        await network.ReconcileAsync(ct).ConfigureAwait(false);
        await network.TryLoadPodCidrAsync(ct).ConfigureAwait(false);
        return network;
    }

    private static CniConfList LoopbackList()
        => CniConfList.Of("loopback", new JsonObject { ["cniVersion"] = "1.0.0", ["name"] = "cni-loopback", ["plugins"] = new JsonArray { LoopbackPlugin.DeepClone() } });

    /// <summary>Releases host-local reservations and cached results of sandboxes that no longer run on this node.</summary>
    private async Task ReconcileAsync(CancellationToken ct)
    {
        var containers = await _docker.ListAsync(_agent.NodeName, null, ct).ConfigureAwait(false);
        var live = containers.Where(c => c.State == "running" && c.Labels?.TryGetValue(AgentLabels.ContainerKind, out var k) == true && k == AgentLabels.SandboxKind)
            .Select(c => c.ID).ToHashSet(StringComparer.Ordinal);
        var conflist = CniConfList.LoadFirst(ConfDir);
        var released = new HostLocalStore(Path.Combine(IpamDataDir, conflist?.Name ?? Options.NetworkName)).Reconcile(live);
        foreach (var file in Directory.GetFiles(_resultsDir, "*.json"))
        {
            if (!live.Contains(Path.GetFileNameWithoutExtension(file)))
            {
                File.Delete(file);
            }
        }

        if (released.Count > 0)
        {
            var addresses = string.Join(", ", released);
            NetworkLog.AddressesReleased(_logger, released.Count, addresses);
        }
    }

    /// <summary>Reads the node's podCIDR; once known, writes (or picks) the conflist. False while the Engine has given none.</summary>
    private async Task<bool> TryLoadPodCidrAsync(CancellationToken ct)
    {
        if (_list != null)
        {
            return true;
        }

        await _setupGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_list != null)
            {
                return true;
            }

            var node = await _client.TryGetAsync<Node>(null, _agent.NodeName, ct).ConfigureAwait(false);
            PodCidr = node?.Spec?.PodCIDR;
            if (string.IsNullOrEmpty(PodCidr))
            {
                PodCidr = null;
                return false;
            }

            _list = CniConfList.EnsureDefault(ConfDir, CniConfList.Default(Options, PodCidr, IpamDataDir));
            var plugins = string.Join("+", _list.Types);
            NetworkLog.ConfList(_logger, _list.Path, _list.Name, plugins, PodCidr);
            return true;
        }
        finally
        {
            _setupGate.Release();
        }
    }
}
