using System.ComponentModel.DataAnnotations;

namespace GitOrch.Engine.Store;

/// <summary>Tuning of the store. Defaults suit one Engine with a few hundred nodes. Checked at start through its attributes.</summary>
public sealed class StoreOptions
{
    /// <summary>How many committed changes the in-memory change log keeps for watchers to resume from (default 100,000).
    /// A watch that asks for an older revision gets 410 Gone and must relist.</summary>
    [Range(1, int.MaxValue)]
    public int ChangeLogCapacity { get; set; } = 100_000;

    /// <summary>Most client writes folded into one LiteDB transaction (default 4,096).</summary>
    [Range(1, int.MaxValue)]
    public int MaxGroupSize { get; set; } = 4_096;

    /// <summary>How often committed writes are forced to the disk (default 10 ms). A write is acknowledged once the
    /// operating system holds it, so a crashed Engine loses nothing; a power cut may lose this much.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Rules run inside the committer on every create, update and status update (see <see cref="IAdmissionPlugin"/>).</summary>
    public List<IAdmissionPlugin> Admission { get; } = new();

    /// <summary>What one API watch may leave unread before it is closed with a 410 and its client relists (default
    /// 10,000 events or 16 MiB of objects). The Engine's own informers are not limited.</summary>
    public WatchLimits ClientWatch { get; set; } = new(10_000, 16 * 1024 * 1024);

    /// <summary>Clock for creation and deletion timestamps.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;
}
