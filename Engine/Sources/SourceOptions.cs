using GitOrch.Engine.Runtime;
using GitOrch.Engine.Sources.Loading;

namespace GitOrch.Engine.Sources;

/// <summary>Settings of the source controller; defaults suit a small team's repository.</summary>
public sealed class SourceOptions
{
    /// <summary>The Engine's data directory; Git caches live in <c>sources/&lt;ns&gt;/&lt;name&gt;</c> under it.</summary>
    public string DataDir { get; set; } = "";

    /// <summary>Polling interval when a GitSource sets none (default 1 minute).</summary>
    public TimeSpan DefaultInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Deadline of each Git network call when a GitSource sets none (default 60 s).</summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Polls are spread by up to this fraction of the interval so sources do not fetch in lockstep (default 0.1).</summary>
    public double Jitter { get; set; } = 0.1;

    /// <summary>Reconciles kept in status.history (default 10).</summary>
    public int HistoryLimit { get; set; } = 10;

    /// <summary>Sources reconciled at the same time (default 2).</summary>
    public int Workers { get; set; } = 2;

    /// <summary>Previews per source when the GitSource sets no maxPreviews (default 5).</summary>
    public int DefaultMaxPreviews { get; set; } = 5;

    public LoaderLimits Limits { get; set; } = LoaderLimits.Default;

    /// <summary>First retry of a failed fetch or apply (default 2 s); doubles per consecutive failure, never later than the source's interval.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Cap of that backoff whatever the interval (default 1024 s).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(1024);

    /// <summary>The runtime settings of the source controller: <see cref="Workers"/> workers and the retry backoff above.</summary>
    public ControllerOptions Controller() => new()
    {
        Workers = Workers,
        Queue = new WorkQueueOptions { BaseRetryDelay = RetryDelay, MaxRetryDelay = MaxRetryDelay },
    };

    public string CacheRoot => Path.Combine(DataDir, "sources");
}
