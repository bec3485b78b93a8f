using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using GitOrch.Api.Metrics;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;
using GitOrch.Engine.Runtime;
using GitOrch.Engine.Security;
using Microsoft.Extensions.Logging;

namespace GitOrch.Engine.Metrics;

/// <summary>
/// Scrapes each Node's agent at <c>/stats/usage</c> (InternalIP and the published agent port, the agent token as
/// credential) into the <see cref="UsageCache"/>. A reconciler per Node on the controller runtime: the work queue
/// keeps one scrape per node in flight and <see cref="ReconcileResult.After"/> is the scrape timer.
/// </summary>
public sealed partial class UsageScraper(SharedInformers informers, UsageCache cache, ApiTokens tokens, MetricsOptions options, TimeProvider time, ILogger<UsageScraper> logger) : IReconciler
{
    public const string UsagePath = "/stats/usage";

    private static readonly HttpClient Agents = new(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(2), PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1) });

    private readonly Informer<Node> _nodes = informers.Get<Node>();
    private readonly Dictionary<string, DateTimeOffset> _lastSuccess = new(StringComparer.Ordinal);

    public string Name => "usage-scraper";

    public ResourceKind Kind => ResourceKinds.Node;

    // Only arrivals and departures wake it: heartbeats would only pull scrapes forward.
    public void Watch(ControllerWiring wiring) => wiring.For(_nodes, e => e.Type != Store.WatchEventType.Modified);

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var node = _nodes.Get(key);
        if (node == null)
        {
            cache.Forget(key.Name);
            return ReconcileResult.Done;
        }

        var address = node.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address;
        var port = node.Status?.DaemonEndpoints?.KubeletEndpoint?.Port ?? 0;
        if (address == null || port == 0)
        {
            // A hollow agent publishes no endpoint; look again in case one appears.
            return ReconcileResult.After(options.ScrapeInterval * 10);
        }

        var now = time.GetUtcNow();
        try
        {
            var summary = await FetchAsync(address, port, cancellationToken).ConfigureAwait(false);
            cache.Accept(node.Name, summary);
            lock (_lastSuccess)
            {
                _lastSuccess[node.Name] = now;
            }
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Log.ScrapeFailed(logger, node.Name, e.Message);
            DateTimeOffset last;
            lock (_lastSuccess)
            {
                last = _lastSuccess.TryGetValue(node.Name, out var l) ? l : DateTimeOffset.MinValue;
            }

            if (now - last > options.StaleAfter)
            {
                cache.Forget(node.Name);
            }
        }

        return ReconcileResult.After(options.ScrapeInterval);
    }

    private async Task<UsageSummary> FetchAsync(string address, int port, CancellationToken cancellationToken)
    {
        var host = IPAddress.TryParse(address, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ScrapeTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{host}:{port}{UsagePath}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.Agent);
        using var response = await Agents.SendAsync(request, timeout.Token).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{UsagePath} answered {(int)response.StatusCode}");
        }

        await using var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
        return await JsonSerializer.DeserializeAsync<UsageSummary>(body, KubeJson.Options, timeout.Token).ConfigureAwait(false)
            ?? throw new JsonException("empty usage summary");
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Usage scrape of node {Node} failed: {Reason}")]
        public static partial void ScrapeFailed(ILogger logger, string node, string reason);
    }
}
