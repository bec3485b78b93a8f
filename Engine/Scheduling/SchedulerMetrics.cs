namespace GitOrch.Engine.Scheduling;

/// <summary>Counters of the scheduler (placements decided, bindings written, failures).</summary>
public sealed class SchedulerMetrics
{
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
    internal void Placed() => Interlocked.Increment(ref _scheduled);
    internal void Failed() => Interlocked.Increment(ref _unschedulable);
    internal void Bind(int n) => Interlocked.Add(ref _bound, n);
    internal void BindFailed() => Interlocked.Increment(ref _bindFailures);

    public override string ToString() => $"attempts={Attempts} scheduled={Scheduled} unschedulable={Unschedulable} bound={Bound} bindFailures={BindFailures}";
}
