namespace GitOrch.Engine.Runtime;

/// <summary>Options every controller shares; feature options (Deployments, Nodes, Scheduler) live next to their controller.</summary>
public sealed class ControllerOptions
{
    /// <summary>Concurrent reconciles per controller (distinct keys only). Default 2: this runs on small machines.</summary>
    public int Workers { get; set; } = 2;

    public WorkQueueOptions Queue { get; set; } = new();

    /// <summary>How long a child's change (a Pod of a ReplicaSet) waits before waking its owner, so bursts coalesce. Default 50 ms.</summary>
    public TimeSpan ChildEventDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How long a reconciler waits for its informer to see its own write before going on. Default 5 s.</summary>
    public TimeSpan CacheSyncTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
