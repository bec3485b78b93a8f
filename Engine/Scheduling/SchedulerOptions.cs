namespace GitOrch.Engine.Scheduling;

public sealed class SchedulerOptions
{
    /// <summary>Pods whose spec.schedulerName is empty or one of these are ours (default "gitorch" and "default-scheduler").</summary>
    public IReadOnlyList<string> SchedulerNames { get; set; } = new[] { "gitorch", "default-scheduler" };

    /// <summary>
    /// Share of nodes to find feasible before choosing (kube-scheduler's percentageOfNodesToScore). 0 (default) is adaptive:
    /// 50% minus 1% per 125 nodes, at least 5%, and never fewer than <see cref="MinFeasibleNodesToFind"/> nodes. On big
    /// clusters this keeps a placement at a few hundred node checks instead of all of them.
    /// </summary>
    public int PercentageOfNodesToScore { get; set; }

    /// <summary>Floor of the feasible nodes to find before scoring (default 100, as kube-scheduler).</summary>
    public int MinFeasibleNodesToFind { get; set; } = 100;

    /// <summary>Most bindings written in one store transaction (default 1,000).</summary>
    public int BindBatchSize { get; set; } = 1_000;

    /// <summary>First retry delay of an unschedulable Pod after the cluster changed; doubles per attempt (default 1 s).</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of that backoff (default 10 s, as kube-scheduler's podMaxBackoffSeconds).</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>An unschedulable Pod is retried at least this often even if nothing seems to change (default 60 s).</summary>
    public TimeSpan UnschedulableRetryInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Record a "Scheduled" Event per bound Pod (default true). FailedScheduling Events are always recorded.</summary>
    public bool RecordScheduledEvents { get; set; } = true;

    /// <summary>Pods a node takes when its allocatable does not say (default 110, as the kubelet).</summary>
    public int DefaultMaxPods { get; set; } = 110;
}
