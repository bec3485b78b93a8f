using System.Diagnostics.Metrics;

namespace GitOrch.Agent.Metrics;

/// <summary>The agent's own numbers on the "GitOrch.Agent" meter, exported at the agent's <c>/metrics</c>.</summary>
internal static class AgentMeters
{
    private static readonly Meter Meter = new("GitOrch.Agent");

    private static readonly Counter<long> Starts = Meter.CreateCounter<long>("gitorch_agent_container_starts_total", null, "Containers started, by node and whether it was a restart");

    private static readonly Counter<long> ProxyConnections = Meter.CreateCounter<long>("gitorch_proxy_connections_total", null, "Connections accepted by the Service proxy");

    public static void ContainerStarted(string node, int attempt)
        => Starts.Add(1, new KeyValuePair<string, object?>("node", node), new KeyValuePair<string, object?>("restart", attempt > 0 ? "true" : "false"));

    public static void ProxyConnectionAccepted() => ProxyConnections.Add(1);
}
