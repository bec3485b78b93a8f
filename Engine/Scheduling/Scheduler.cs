using GitOrch.Api.Model;
using GitOrch.Api.Retry;
using GitOrch.Engine.Runtime;
using GitOrch.Engine.Events;
using GitOrch.Engine.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GitOrch.Engine.Scheduling;

/// <summary>
/// kube-scheduler in small: a queue of unbound Pods, one scheduling loop that filters and scores nodes from an
/// incrementally kept cache and assumes its choice at once, and a binder that writes choices in batches.
/// An unschedulable Pod gets PodScheduled=False and a FailedScheduling event counting the reasons, and is parked: it is
/// retried (with backoff) only when a node or a Pod changes in a way that could make room, or after
/// <see cref="SchedulerOptions.UnschedulableRetryInterval"/>, never in a hot loop.
/// </summary>
public sealed partial class Scheduler : BackgroundService
{
    private readonly Informer<Pod> _pods;
    private readonly Informer<Node> _nodes;
    private readonly IEventRecorder _events;
    private readonly TimeProvider _time;
    private readonly SchedulerOptions _options;
    private readonly ILogger<Scheduler> _logger;
    private readonly SchedulerCache _cache;
    private readonly SchedulingFramework _framework;
    private readonly WorkQueue<string> _queue;
    private readonly PodBinder _binder;
    private readonly object _parkedGate = new();
    private readonly Dictionary<string, Parked> _parked = new(StringComparer.Ordinal);
    private readonly Backoff _parkedBackoff;

    public Scheduler(IObjectStore store, SharedInformers informers, IEventRecorder events, TimeProvider time, SchedulerOptions options, ILogger<Scheduler> logger)
    {
        _pods = informers.Get<Pod>();
        _nodes = informers.Get<Node>();
        _events = events;
        _time = time;
        _options = options;
        _logger = logger;
        _cache = new SchedulerCache(options.DefaultMaxPods);
        _framework = new SchedulingFramework(options);
        _queue = new WorkQueue<string>(time);
        _parkedBackoff = new Backoff { Initial = options.InitialBackoff, Factor = 2, Cap = options.MaxBackoff };
        _binder = new PodBinder(store, _pods, events, options, new PodBinderContext(Metrics, BindFailed, time), logger);
        _pods.AddHandler(OnPod);
        _nodes.AddHandler(OnNode);
    }

    public SchedulerMetrics Metrics { get; } = new();

    /// <summary>Pods waiting in the active queue (not counting parked unschedulable ones).</summary>
    public int QueueLength => _queue.Length;

    public int ParkedCount
    {
        get
        {
            lock (_parkedGate)
            {
                return _parked.Count;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.ShutDown();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        _queue.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await _nodes.WaitForSyncAsync(stoppingToken).ConfigureAwait(false);
            await _pods.WaitForSyncAsync(stoppingToken).ConfigureAwait(false);
            Resync();
            Log.Started(_logger, _cache.NodeCount, _queue.Length);
            var binder = Task.Run(() => _binder.RunAsync(stoppingToken), stoppingToken);
            await LoopAsync(stoppingToken).ConfigureAwait(false);
            await binder.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Rebuilds the cache from the informers and queues every unbound Pod (handlers may have started late).</summary>
    private void Resync()
    {
        foreach (var node in _nodes.List())
        {
            OnNode(new InformerEvent<Node>(WatchEventType.Added, null, node));
        }

        foreach (var pod in _pods.List())
        {
            OnPod(new InformerEvent<Pod>(WatchEventType.Added, null, pod));
        }
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var key = await _queue.GetAsync(ct).ConfigureAwait(false);
            try
            {
                ScheduleOne(key);
            }
            catch (Exception e)
            {
                Log.ScheduleFailed(_logger, e, key);
                _queue.AddRateLimited(key);
            }
            finally
            {
                _queue.Done(key);
            }
        }
    }

    private void ScheduleOne(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var pod = _pods.Get(key[..slash], key[(slash + 1)..]);
        if (pod == null || !IsPending(pod))
        {
            return;
        }

        var info = new PodInfo(pod);
        NodeInfo? chosen;
        FitError? error;
        Metrics.Attempt();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        lock (_cache.Gate)
        {
            if (_cache.IsPlaced(key))
            {
                // Assumed and being bound: the binder owns it now.
                return;
            }

            chosen = _framework.Schedule(info, _cache.Nodes, out error);
            if (chosen != null)
            {
                _cache.Assume(info, chosen);
            }
        }

        if (chosen != null)
        {
            Metrics.Placed(System.Diagnostics.Stopwatch.GetElapsedTime(started));
            lock (_parkedGate)
            {
                _parked.Remove(key);
            }

            _queue.Forget(key);
            _binder.Bind(info, chosen.Name);
            return;
        }

        Metrics.Failed(System.Diagnostics.Stopwatch.GetElapsedTime(started));
        var message = error!.Message;
        Log.Unschedulable(_logger, key, message);
        _events.Record(pod, EventTypes.Warning, "FailedScheduling", message, "gitorch-scheduler");
        _binder.MarkUnschedulable(info, message);
        Park(key);
    }

    /// <summary>
    /// Parks an unschedulable Pod until the cluster changes (or the retry interval passes). The work queue counts its
    /// failed attempts; the backoff a cluster change must wait out grows with them.
    /// </summary>
    private void Park(string key)
    {
        var backoff = _parkedBackoff.Delay(_queue.RecordFailure(key));
        lock (_parkedGate)
        {
            _parked[key] = new Parked(_time.GetUtcNow(), backoff);
        }

        _queue.AddAfter(key, _options.UnschedulableRetryInterval);
    }

    /// <summary>Something that could make room happened: retry parked Pods, each once its backoff has passed.</summary>
    private void RetryParked()
    {
        var now = _time.GetUtcNow();
        List<(string Key, TimeSpan Delay)> retry;
        lock (_parkedGate)
        {
            if (_parked.Count == 0)
            {
                return;
            }

            retry = new List<(string, TimeSpan)>(_parked.Count);
            foreach (var (key, parked) in _parked)
            {
                retry.Add((key, parked.Since + parked.Backoff - now));
            }

            _parked.Clear();
        }

        foreach (var (key, delay) in retry)
        {
            _queue.AddAfter(key, delay);
        }
    }

    private void BindFailed(string key)
    {
        lock (_cache.Gate)
        {
            _cache.Forget(key);
        }

        _queue.AddRateLimited(key);
    }

    private void OnPod(InformerEvent<Pod> e)
    {
        var key = ObjectKey.Of(e.Object).ToString();
        if (e.Type == WatchEventType.Deleted)
        {
            bool freed;
            lock (_cache.Gate)
            {
                freed = _cache.Remove(key);
            }

            lock (_parkedGate)
            {
                _parked.Remove(key);
            }

            _queue.Forget(key);

            if (freed)
            {
                RetryParked();
            }

            return;
        }

        var pod = e.New!;
        var node = pod.Spec?.NodeName;
        if (!string.IsNullOrEmpty(node))
        {
            bool freed;
            lock (_cache.Gate)
            {
                if (PodPhases.IsTerminal(pod.Status?.Phase))
                {
                    freed = _cache.Remove(key);
                }
                else
                {
                    _cache.SetBoundPod(new PodInfo(pod), node);
                    freed = false;
                }
            }

            if (freed)
            {
                RetryParked();
            }

            return;
        }

        if (!IsPending(pod))
        {
            return;
        }

        // A status-only change (our own PodScheduled=False among them) is no reason to try again.
        var old = e.Old;
        if (old != null && old.Metadata.Generation == pod.Metadata.Generation && SameLabels(old, pod))
        {
            return;
        }

        _queue.Add(key);
    }

    private void OnNode(InformerEvent<Node> e)
    {
        bool changed;
        lock (_cache.Gate)
        {
            if (e.Type == WatchEventType.Deleted)
            {
                _cache.RemoveNode(e.Object.Metadata.Name!);
                return;
            }

            changed = _cache.SetNode(e.New!);
        }

        if (changed)
        {
            RetryParked();
        }
    }

    private bool IsPending(Pod pod)
        => string.IsNullOrEmpty(pod.Spec?.NodeName)
           && pod.Metadata.DeletionTimestamp == null
           && !PodPhases.IsTerminal(pod.Status?.Phase)
           && (string.IsNullOrEmpty(pod.Spec?.SchedulerName) || _options.SchedulerNames.Contains(pod.Spec!.SchedulerName!));

    private static bool SameLabels(Pod a, Pod b)
    {
        var x = a.Metadata.Labels;
        var y = b.Metadata.Labels;
        if (x == null || y == null)
        {
            return (x?.Count ?? 0) == (y?.Count ?? 0);
        }

        return x.Count == y.Count && x.All(kv => y.TryGetValue(kv.Key, out var v) && v == kv.Value);
    }

    /// <summary>When a Pod was parked, and how long after that a cluster change may retry it.</summary>
    private sealed record Parked(DateTimeOffset Since, TimeSpan Backoff);

    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Scheduler started with {Nodes} nodes and {Pending} pending pods")]
        public static partial void Started(ILogger logger, int nodes, int pending);

        [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "Pod {Pod} is unschedulable: {Message}")]
        public static partial void Unschedulable(ILogger logger, string pod, string message);

        [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "Scheduling {Pod} failed")]
        public static partial void ScheduleFailed(ILogger logger, Exception exception, string pod);
    }
}
