namespace GitOrch.Engine.Runtime;

/// <summary>Retry policy of a work queue.</summary>
public sealed class WorkQueueOptions
{
    /// <summary>First retry delay after an error; doubles on each consecutive failure of the same key. Default 5 ms (as client-go).</summary>
    public TimeSpan BaseRetryDelay { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Cap of the per-key backoff. Default 5 minutes: a broken object is looked at again, but rarely.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);
}
