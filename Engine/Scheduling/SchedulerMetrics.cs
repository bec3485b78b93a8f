using System.Diagnostics.Metrics;

namespace GitOrch.Engine.Scheduling;

/// <summary>Counters of the scheduler (placements decided, bindings written, failures), also on the "GitOrch.Scheduler" meter.</summary>
public sealed class SchedulerMetrics
{
    private static readonly Meter Meter = new("GitOrch.Scheduler");
    private static readonly Counter<long> AttemptsCounter = Meter.CreateCounter<long>("gitorch_scheduler_schedule_attempts_total", null, "Scheduling attempts by result (scheduled, unschedulable)");
    private static readonly Histogram<double> AttemptSeconds = Meter.CreateHistogram<double>("gitorch_scheduler_scheduling_attempt_duration_seconds", "s", "Time to filter and score the nodes for one Pod");
    private static readonly Counter<long> BoundCounter = Meter.CreateCounter<long>("gitorch_scheduler_bindings_total", null, "Bindings written by result (bound, error)");

    private long _attempts;
    private long _scheduled;
    private long _unschedulable;
    private long _bound;
    private long _bindFailures;

    public long Attempts => Interlocked.Read(ref _attempts);
    public long Scheduled => Interlocked.Read(ref _scheduled);
    public long Unschedulable => Interlocked.Read(ref _unschedulable);
    public long Bound => Interlocked.Read(ref _bound);
    public long BindFailures => Interlocked.Read(ref _bindFailures);

    internal void Attempt() => Interlocked.Increment(ref _attempts);
    internal void Placed(TimeSpan took)
    {
        Interlocked.Increment(ref _scheduled);
        AttemptsCounter.Add(1, new KeyValuePair<string, object?>("result", "scheduled"));
        AttemptSeconds.Record(took.TotalSeconds);
    }

    internal void Failed(TimeSpan took)
    {
        Interlocked.Increment(ref _unschedulable);
        AttemptsCounter.Add(1, new KeyValuePair<string, object?>("result", "unschedulable"));
        AttemptSeconds.Record(took.TotalSeconds);
    }

    internal void Bind(int n)
    {
        Interlocked.Add(ref _bound, n);
        BoundCounter.Add(n, new KeyValuePair<string, object?>("result", "bound"));
    }

    internal void BindFailed()
    {
        Interlocked.Increment(ref _bindFailures);
        BoundCounter.Add(1, new KeyValuePair<string, object?>("result", "error"));
    }

    public override string ToString() => $"attempts={Attempts} scheduled={Scheduled} unschedulable={Unschedulable} bound={Bound} bindFailures={BindFailures}";
}
