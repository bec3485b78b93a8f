using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GitOrch.Engine.Runtime;

/// <summary>
/// Runs one <see cref="IReconciler"/>: wires its informers into a <see cref="WorkQueue{TKey}"/>, waits for the caches,
/// then N workers pull keys and reconcile them, each run inside a log scope (controller, kind, namespace, name,
/// reconcile id) and counted in <see cref="Metrics"/>. Errors are retried with backoff, RequeueAfter is honoured,
/// Terminal waits for the next change.
/// </summary>
public sealed partial class Controller : BackgroundService
{
    private readonly IReconciler _reconciler;
    private readonly ControllerOptions _options;
    private readonly ILogger _logger;
    private readonly ControllerWiring _wiring;
    private long _reconcileIds;

    public Controller(IReconciler reconciler, ControllerOptions options, TimeProvider time, ILogger logger)
    {
        _reconciler = reconciler;
        _options = options;
        _logger = logger;
        Queue = new WorkQueue<ObjectKey>(time, options.Queue);
        Metrics = new ControllerMetrics(reconciler.Name);
        Metrics.ObserveQueue(() => Queue.Length);
        _wiring = new ControllerWiring(Queue.Add, Queue.AddAfter, options.ChildEventDelay);
        reconciler.Watch(_wiring);
    }

    public string Name => _reconciler.Name;

    public IReconciler Reconciler => _reconciler;

    public WorkQueue<ObjectKey> Queue { get; }

    public ControllerMetrics Metrics { get; }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        Queue.ShutDown();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        Queue.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting everything else (informers included) before blocking on caches.
        await Task.Yield();
        try
        {
            foreach (var informer in _wiring.Informers)
            {
                await informer.WaitForSyncAsync(stoppingToken).ConfigureAwait(false);
            }

            foreach (var key in _wiring.InitialKeys())
            {
                Queue.Add(key);
            }

            Log.Started(_logger, Name, _options.Workers);
            var workers = Enumerable.Range(0, Math.Max(1, _options.Workers)).Select(_ => Task.Run(() => WorkAsync(stoppingToken), stoppingToken));
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task WorkAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            ObjectKey key;
            try
            {
                key = await Queue.GetAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await ProcessAsync(key, ct).ConfigureAwait(false);
            }
            finally
            {
                Queue.Done(key);
            }
        }
    }

    private async Task ProcessAsync(ObjectKey key, CancellationToken ct)
    {
        var id = Interlocked.Increment(ref _reconcileIds);
        using var scope = _logger.BeginScope(new ReconcileScope(Name, (key.Kind ?? _reconciler.Kind).Kind, key.Namespace, key.Name, id));
        var started = Stopwatch.GetTimestamp();
        ReconcileResult result;
        try
        {
            result = await _reconciler.ReconcileAsync(key, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            result = ReconcileResult.Error(e.Message, e);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        switch (result.Outcome)
        {
            case ReconcileOutcome.Done:
                Queue.Forget(key);
                break;
            case ReconcileOutcome.RequeueAfter:
                Queue.Forget(key);
                Queue.AddAfter(key, result.Delay);
                break;
            case ReconcileOutcome.Error:
                var attempt = Queue.Failures(key) + 1;
                Log.ReconcileFailed(_logger, result.Exception, Name, key, result.Message ?? "", attempt);
                Queue.AddRateLimited(key, result.Delay > TimeSpan.Zero ? result.Delay : null);
                break;
            case ReconcileOutcome.Terminal:
                Queue.Forget(key);
                Log.ReconcileTerminal(_logger, Name, key, result.Message ?? "");
                if (result.Delay > TimeSpan.Zero)
                {
                    Queue.AddAfter(key, result.Delay);
                }

                break;
        }

        // Counted once the follow-up (retry, requeue) is scheduled, so a reader of the metrics sees a settled state.
        Metrics.Record(result.Outcome, elapsed);
    }

    /// <summary>The structured log scope of one reconcile; formats like "deployment default/web #42".</summary>
    private sealed class ReconcileScope : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly KeyValuePair<string, object?>[] _values;

        public ReconcileScope(string controller, string kind, string? ns, string name, long id)
        {
            _values = new KeyValuePair<string, object?>[]
            {
                new("Controller", controller),
                new("Kind", kind),
                new("Namespace", ns),
                new("Name", name),
                new("ReconcileId", id),
            };
        }

        public int Count => _values.Length;

        public KeyValuePair<string, object?> this[int index] => _values[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_values).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => _values.GetEnumerator();

        public override string ToString() => $"{_values[0].Value} {_values[1].Value} {(_values[2].Value is string ns ? ns + "/" : "")}{_values[3].Value} #{_values[4].Value}";
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Controller {Controller} started with {Workers} workers")]
        public static partial void Started(ILogger logger, string controller, int workers);

        [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Controller {Controller} failed to reconcile {Key}: {Message} (attempt {Attempt}); retrying with backoff")]
        public static partial void ReconcileFailed(ILogger logger, Exception? exception, string controller, ObjectKey key, string message, int attempt);

        [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Controller {Controller} stopped retrying {Key}: {Message}")]
        public static partial void ReconcileTerminal(ILogger logger, string controller, ObjectKey key, string message);
    }
}
