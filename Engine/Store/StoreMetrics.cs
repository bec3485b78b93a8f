using System.Diagnostics.Metrics;

namespace GitOrch.Engine.Store;

/// <summary>The committer's numbers on the "GitOrch.Store" meter: how long one group commit takes and how many writes it folds.</summary>
internal static class StoreMetrics
{
    private static readonly Meter Meter = new("GitOrch.Store");

    internal static readonly Histogram<double> CommitSeconds = Meter.CreateHistogram<double>("gitorch_store_commit_duration_seconds", "s", "Time to validate, write and publish one group commit");

    internal static readonly Histogram<int> CommitWrites = Meter.CreateHistogram<int>("gitorch_store_commit_batch_writes", "{write}", "Writes folded into one group commit");
}
