namespace GitOrch.Engine.Metrics;

/// <summary>How the Engine gathers usage from the agents (metrics-server's role).</summary>
public sealed class MetricsOptions
{
    /// <summary>
    /// How often each node's agent is asked for its usage. Default 1 s: agents sample every second, and the
    /// autoscaler reacts within a few seconds instead of metrics-server's 15 s resolution.
    /// </summary>
    public TimeSpan ScrapeInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Deadline of one scrape. Default 2 s: a slow agent must not hold a worker for long.</summary>
    public TimeSpan ScrapeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A node whose agent has not answered for this long leaves the cache (kubectl top shows no stale numbers). Default 30 s.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(30);
}
