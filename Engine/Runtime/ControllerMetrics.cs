using System.Diagnostics.Metrics;

namespace GitOrch.Engine.Runtime;

/// <summary>
/// Counters of one controller, readable in-process (tests, a future /metrics page) and published on the
/// "GitOrch.Controllers" meter with a controller tag.
/// </summary>
public sealed class ControllerMetrics
{
    private static readonly Meter Meter = new("GitOrch.Controllers");
    private static readonly Counter<long> ReconcilesCounter = Meter.CreateCounter<long>("gitorch_controller_reconciles_total");
    private static readonly Histogram<double> DurationHistogram = Meter.CreateHistogram<double>("gitorch_controller_reconcile_seconds", "s", "Duration of one reconcile");

    // Every live controller's queue, read when the gauge is observed (a scrape); weak, so stopped hosts drop out.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ControllerMetrics, Func<int>> Queues = new();
    private static readonly ObservableGauge<int> QueueDepth = Meter.CreateObservableGauge("gitorch_workqueue_depth", ObserveQueues, null, "Keys waiting in a controller's work queue");

    private long _reconciles;
    private long _errors;
    private long _requeues;
    private long _terminal;
    private long _totalTicks;

    public ControllerMetrics(string controller) => Controller = controller;

    /// <summary>Publishes the depth of this controller's work queue on the gitorch_workqueue_depth gauge.</summary>
    public void ObserveQueue(Func<int> depth) => Queues.AddOrUpdate(this, depth);

    private static IEnumerable<Measurement<int>> ObserveQueues()
    {
        _ = QueueDepth;
        foreach (var (metrics, depth) in Queues)
        {
            yield return new Measurement<int>(depth(), new KeyValuePair<string, object?>("controller", metrics.Controller));
        }
    }

    public string Controller { get; }

    public long Reconciles => Interlocked.Read(ref _reconciles);
    public long Errors => Interlocked.Read(ref _errors);
    public long Requeues => Interlocked.Read(ref _requeues);
    public long Terminal => Interlocked.Read(ref _terminal);
    public TimeSpan TotalTime => TimeSpan.FromTicks(Interlocked.Read(ref _totalTicks));

    public void Record(ReconcileOutcome outcome, TimeSpan elapsed)
    {
        Interlocked.Increment(ref _reconciles);
        Interlocked.Add(ref _totalTicks, elapsed.Ticks);
        switch (outcome)
        {
            case ReconcileOutcome.Error:
                Interlocked.Increment(ref _errors);
                break;
            case ReconcileOutcome.RequeueAfter:
                Interlocked.Increment(ref _requeues);
                break;
            case ReconcileOutcome.Terminal:
                Interlocked.Increment(ref _terminal);
                break;
        }

        var tags = new KeyValuePair<string, object?>[] { new("controller", Controller), new("result", outcome.ToString()) };
        ReconcilesCounter.Add(1, tags);
        DurationHistogram.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("controller", Controller));
    }

    public override string ToString() => $"{Controller}: {Reconciles} reconciles, {Errors} errors, {Requeues} requeues, {Terminal} terminal";
}
