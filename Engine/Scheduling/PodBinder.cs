using System.Threading.Channels;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;
using GitOrch.Engine.Controllers.Common;
using GitOrch.Engine.Runtime;
using GitOrch.Engine.Events;
using GitOrch.Engine.Store;
using Microsoft.Extensions.Logging;

namespace GitOrch.Engine.Scheduling;

/// <summary>
/// Writes the scheduler's decisions: bindings and PodScheduled=False marks, as many as are waiting (up to a batch)
/// in one store transaction, so 10,000 bindings cost a few dozen commits. A batch that fails (one Pod changed or went
/// away) is retried write by write, so one stale Pod never costs the others their placement.
/// </summary>
internal sealed partial class PodBinder
{
    private readonly IObjectStore _store;
    private readonly Informer<Pod> _pods;
    private readonly IEventRecorder _events;
    private readonly TimeProvider _time;
    private readonly SchedulerOptions _options;
    private readonly SchedulerMetrics _metrics;
    private readonly Action<string> _bindFailed;
    private readonly ILogger _logger;
    private readonly Channel<Request> _requests = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });

    public PodBinder(IObjectStore store, Informer<Pod> pods, IEventRecorder events, SchedulerOptions options, PodBinderContext scheduler, ILogger logger)
    {
        _store = store;
        _pods = pods;
        _events = events;
        _options = options;
        (_metrics, _bindFailed, _time) = scheduler;
        _logger = logger;
    }

    public void Bind(PodInfo pod, string node) => _requests.Writer.TryWrite(new Request(pod, node, null));

    public void MarkUnschedulable(PodInfo pod, string message) => _requests.Writer.TryWrite(new Request(pod, null, message));

    public async Task RunAsync(CancellationToken ct)
    {
        // Two batches in flight: while the store commits one, the next is read and prepared.
        var reader = _requests.Reader;
        var inflight = new List<Task>(2);
        while (await reader.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            var batch = new List<Request>(_options.BindBatchSize);
            while (batch.Count < _options.BindBatchSize && reader.TryRead(out var r))
            {
                batch.Add(r);
            }

            inflight.Add(WriteAsync(batch, ct));
            if (inflight.Count >= 2)
            {
                await Task.WhenAny(inflight).ConfigureAwait(false);
                inflight.RemoveAll(t => t.IsCompleted);
            }
        }

        await Task.WhenAll(inflight).ConfigureAwait(false);
    }

    private async Task WriteAsync(List<Request> batch, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var writes = new List<StoreWrite>(batch.Count + 8);
        var live = new List<(Request Request, int First, int Count)>(batch.Count);
        foreach (var r in batch)
        {
            var first = writes.Count;
            if (!AddWrites(r, writes, now))
            {
                continue;
            }

            live.Add((r, first, writes.Count - first));
        }

        if (writes.Count == 0)
        {
            return;
        }

        try
        {
            await _store.CommitAsync(writes, ct).ConfigureAwait(false);
            Succeeded(live.Select(l => l.Request));
            return;
        }
        catch (StoreException e)
        {
            Log.BatchFailed(_logger, live.Count, e.Message);
        }

        foreach (var (r, first, count) in live)
        {
            try
            {
                await _store.CommitAsync(writes.GetRange(first, count), ct).ConfigureAwait(false);
                Succeeded(new[] { r });
            }
            catch (StoreException e)
            {
                if (r.Node != null)
                {
                    _metrics.BindFailed();
                    Log.BindFailed(_logger, r.Pod.Key, r.Node, e.Message);
                    _bindFailed(r.Pod.Key);
                }
            }
        }
    }

    private bool AddWrites(Request r, List<StoreWrite> writes, DateTimeOffset now)
    {
        var stored = _pods.GetStored(r.Pod.Namespace, r.Pod.Pod.Metadata.Name!);
        if (stored == null || stored.Shared.Metadata.Uid != r.Pod.Pod.Metadata.Uid)
        {
            if (r.Node != null)
            {
                _bindFailed(r.Pod.Key);
            }

            return false;
        }

        var pod = stored.Copy<Pod>();
        if (r.Node != null)
        {
            if (!string.IsNullOrEmpty(pod.Spec?.NodeName))
            {
                // Bound meanwhile (the binding subresource): the informer event will set the cache right.
                _bindFailed(r.Pod.Key);
                return false;
            }

            PodBinding.AddWrites(writes, pod, r.Node, now);
            return true;
        }

        if (!string.IsNullOrEmpty(pod.Spec?.NodeName))
        {
            return false;
        }

        var current = Conditions.Find(pod.Status?.Conditions, PodBinding.ConditionType);
        if (current is { Status: ConditionStatus.False, Reason: "Unschedulable" } && current.Message == r.Message)
        {
            return false;
        }

        pod.Metadata.ResourceVersion = null;
        pod.Status ??= new PodStatus { Phase = PodPhases.Pending };
        Conditions.Set(pod.Status.Conditions ??= new List<Condition>(), new Condition { Type = PodBinding.ConditionType, Status = ConditionStatus.False, Reason = "Unschedulable", Message = r.Message }, now);
        writes.Add(new StoreWrite(StoreVerb.UpdateStatus, pod));
        return true;
    }

    private void Succeeded(IEnumerable<Request> done)
    {
        var bound = 0;
        foreach (var r in done)
        {
            if (r.Node == null)
            {
                continue;
            }

            bound++;
            if (_options.RecordScheduledEvents)
            {
                _events.Record(r.Pod.Pod, EventTypes.Normal, "Scheduled", $"Successfully assigned {r.Pod.Key} to {r.Node}", "gitorch-scheduler");
            }
        }

        _metrics.Bind(bound);
    }

    private sealed record Request(PodInfo Pod, string? Node, string? Message);

    private static partial class Log
    {
        [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "A batch of {Count} scheduler writes failed ({Error}); writing them one by one")]
        public static partial void BatchFailed(ILogger logger, int count, string error);

        [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Binding {Pod} to {Node} failed: {Error}; it will be scheduled again")]
        public static partial void BindFailed(ILogger logger, string pod, string node, string error);
    }
}
