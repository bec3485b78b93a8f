using System.Net;
using GitOrch.Agent.Logs;

namespace GitOrch.Agent.Metrics;

/// <summary><c>GET /metrics</c> on the agent: the process's GitOrch meters in Prometheus text format, behind the agent token like the log endpoint.</summary>
public sealed class PrometheusEndpoint : IAgentHttpEndpoint
{
    public string Path => "/metrics";

    public async Task ServeAsync(HttpListenerResponse response, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await PrometheusExport.Shared.WriteAsync(buffer, ct).ConfigureAwait(false);
        response.StatusCode = 200;
        response.ContentType = PrometheusExport.ContentType;
        response.ContentLength64 = buffer.Length;
        buffer.Position = 0;
        await buffer.CopyToAsync(response.OutputStream, ct).ConfigureAwait(false);
    }
}
