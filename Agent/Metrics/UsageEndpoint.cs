using System.Net;
using System.Text.Json;
using GitOrch.Agent.Logs;
using GitOrch.Api.Metrics;
using GitOrch.Api.Serialization;

namespace GitOrch.Agent.Metrics;

/// <summary><c>GET /stats/usage</c>: the collector's latest <see cref="UsageSummary"/> as JSON, for the Engine's scraper.</summary>
public sealed class UsageEndpoint(UsageCollector collector) : IAgentHttpEndpoint
{
    public const string UsagePath = "/stats/usage";

    public string Path => UsagePath;

    public UsageCollector Collector => collector;

    public async Task ServeAsync(HttpListenerResponse response, CancellationToken ct)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(collector.Latest, KubeJson.Options);
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes, ct).ConfigureAwait(false);
    }
}
