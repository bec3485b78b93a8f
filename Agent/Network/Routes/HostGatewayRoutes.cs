using GitOrch.Api.Client;
using GitOrch.Api.Model;
using Microsoft.Extensions.Logging;

namespace GitOrch.Agent.Network.Routes;

/// <summary>
/// Pod traffic between nodes, the way flannel's host-gw backend carries it: for every other Node with a podCIDR, a
/// host route <c>ip route replace &lt;podCIDR&gt; via &lt;its InternalIP&gt;</c>, so Pods reach each other by their own
/// addresses without NAT (the nodes must share an L2 segment; VXLAN is the way when they do not). Re-read every
/// <see cref="Period"/>; routes of Nodes that went away are deleted, and all of them on dispose.
/// </summary>
public sealed class HostGatewayRoutes : IAsyncDisposable
{
    private readonly GitOrchClient _client;
    private readonly string _nodeName;
    private readonly ILogger _logger;
    private readonly Dictionary<string, string> _installed = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public HostGatewayRoutes(GitOrchClient client, string nodeName, ILogger logger)
    {
        _client = client;
        _nodeName = nodeName;
        _logger = logger;
    }

    public TimeSpan Period { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>podCIDR to next hop of the routes this agent installed.</summary>
    public IReadOnlyDictionary<string, string> Installed
    {
        get
        {
            lock (_installed)
            {
                return new Dictionary<string, string>(_installed);
            }
        }
    }

    public void Start() => _loop = Task.Run(() => LoopAsync(_stop.Token), CancellationToken.None);

    private async Task LoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await SyncAsync(ct).ConfigureAwait(false);
                await Task.Delay(Period, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is GitOrchApiException or HttpRequestException or IOException or TaskCanceledException or TimeoutException)
            {
                await Task.Delay(Period, ct).ConfigureAwait(false);
            }
        }
    }

    private async Task SyncAsync(CancellationToken ct)
    {
        var nodes = await _client.ListAsync<Node>(null, cancellationToken: ct).ConfigureAwait(false);
        var wanted = new Dictionary<string, (string Via, string Node)>(StringComparer.Ordinal);
        foreach (var n in nodes.Items.Where(n => n.Metadata.Name != _nodeName && !string.IsNullOrEmpty(n.Spec?.PodCIDR)))
        {
            var via = n.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address;
            if (!string.IsNullOrEmpty(via) && !via.StartsWith("127.", StringComparison.Ordinal))
            {
                wanted[n.Spec!.PodCIDR!] = (via, n.Metadata.Name ?? "");
            }
        }

        foreach (var (cidr, (via, node)) in wanted)
        {
            if (Installed.TryGetValue(cidr, out var current) && current == via)
            {
                continue;
            }

            var r = await HostCommand.RunAsync("ip", ["route", "replace", cidr, "via", via], null, TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
            if (r.Code == 0)
            {
                lock (_installed)
                {
                    _installed[cidr] = via;
                }
            }
            else
            {
                NetworkLog.RouteFailed(_logger, node, cidr, via, r.Output);
            }
        }

        foreach (var (cidr, via) in Installed.Where(i => !wanted.ContainsKey(i.Key)))
        {
            await DeleteAsync(cidr, via, ct).ConfigureAwait(false);
        }
    }

    private async Task DeleteAsync(string cidr, string via, CancellationToken ct)
    {
        await HostCommand.RunAsync("ip", ["route", "del", cidr, "via", via], null, TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
        lock (_installed)
        {
            _installed.Remove(cidr);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        foreach (var (cidr, via) in Installed)
        {
            await DeleteAsync(cidr, via, cts.Token).ConfigureAwait(false);
        }

        _stop.Dispose();
    }
}
