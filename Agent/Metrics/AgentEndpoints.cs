using GitOrch.Agent.Logs;
using GitOrch.Agent.Runtime;
using Microsoft.Extensions.Logging;

namespace GitOrch.Agent.Metrics;

/// <summary>Starts the agent's HTTP server with every endpoint it serves: logs, <c>/stats/usage</c> and <c>/metrics</c>.</summary>
internal static class AgentEndpoints
{
    public static async Task<LogServer> StartServerAsync(AgentOptions options, IContainerRuntime docker, ILogger logger, CancellationToken ct)
    {
        _ = PrometheusExport.Shared;
        var collector = new UsageCollector(docker, options, logger);
        var server = await LogServer.StartAsync(options, docker, ct, [new UsageEndpoint(collector), new PrometheusEndpoint()]).ConfigureAwait(false);
        collector.Start();
        return server;
    }
}
