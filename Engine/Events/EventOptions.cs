namespace GitOrch.Engine.Events;

public sealed class EventOptions
{
    /// <summary>Events not seen again for this long are deleted (default 1 hour, as Kubernetes' event TTL).</summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromHours(1);

    /// <summary>At most this many Events are kept; the oldest go first (default 10,000).</summary>
    public int MaxEvents { get; set; } = 10_000;

    /// <summary>How often expired Events are swept (default 1 minute).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);
}
