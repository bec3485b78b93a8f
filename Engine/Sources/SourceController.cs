using GitOrch.Api.Model;
using GitOrch.Engine.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOrch.Engine.Sources;

/// <summary>
/// Runs the source controller: watches GitSources, keeps a work queue of sources to reconcile, polls each
/// at its interval (with jitter) and accepts triggers from webhooks. What wakes a source never changes
/// what a reconcile does; the reconciler is level-based.
/// </summary>
public sealed partial class SourceController : BackgroundService
{
    private readonly IObjectStore _store;
    private readonly SourceReconciler _reconciler;
    private readonly SourceOptions _options;
    private readonly ILogger _log;
    private readonly SourceWorkQueue _queue;
    private readonly Dictionary<string, (long Generation, string? RequestedAt, bool Suspended)> _seen = new(StringComparer.Ordinal);

    public SourceController(IObjectStore store, SourceReconciler reconciler, SourceOptions options, TimeProvider? time = null, ILogger<SourceController>? log = null)
    {
        _store = store;
        _reconciler = reconciler;
        _options = options;
        _log = (ILogger?)log ?? NullLogger.Instance;
        _queue = new SourceWorkQueue(time ?? TimeProvider.System);
    }

    /// <summary>Reconcile this source now (webhook, plan, tests).</summary>
    public void Trigger(string ns, string name) => _queue.Add(ns + "/" + name);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var watch = _store.Watch(ResourceKinds.GitSource, null, _store.Revision);
        foreach (var source in _store.List<GitSource>())
        {
            Observe(source, force: true);
        }

        // A source deleted while the Engine was down leaves preview namespaces behind: reconciling its key removes them.
        foreach (var owner in _reconciler.Previews.PreviewOwners())
        {
            var slash = owner.IndexOf('/', StringComparison.Ordinal);
            if (_store.Get<GitSource>(owner[..slash], owner[(slash + 1)..]) == null)
            {
                _queue.Add(owner);
            }
        }

        var workers = Enumerable.Range(0, Math.Max(1, _options.Workers)).Select(_ => WorkAsync(stoppingToken)).ToList();
        try
        {
            await foreach (var ev in watch.Events.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                var source = (GitSource)ev.Object.Shared;
                if (ev.Type == WatchEventType.Deleted)
                {
                    lock (_seen)
                    {
                        _seen.Remove(ev.Object.Key);
                    }

                    _queue.Add(ev.Object.Key); // the reconciler forgets its cache
                    continue;
                }

                Observe(source, force: ev.Type == WatchEventType.Added);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    /// <summary>
    /// Queues a source when something a person controls changed: spec (generation), the "reconcile now"
    /// annotation, suspend. The controller's own status writes change none of these, so they wake nothing.
    /// </summary>
    private void Observe(GitSource source, bool force)
    {
        var key = (source.Metadata.Namespace ?? "default") + "/" + source.Name;
        var now = (source.Metadata.Generation ?? 0, source.Metadata.Annotation(SourceLabels.RequestedAt), source.Spec?.Suspend == true);
        lock (_seen)
        {
            if (!force && _seen.TryGetValue(key, out var before) && before == now && source.Metadata.DeletionTimestamp == null)
            {
                return;
            }

            _seen[key] = now;
        }

        _queue.Add(key);
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            string key;
            try
            {
                key = await _queue.TakeAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var slash = key.IndexOf('/', StringComparison.Ordinal);
            var reconcileId = Guid.NewGuid().ToString("N")[..8];
            using var scope = _log.BeginScope("reconcile {ReconcileId} GitSource {Key}", reconcileId, key);
            try
            {
                var next = await _reconciler.ReconcileAsync(key[..slash], key[(slash + 1)..], stoppingToken).ConfigureAwait(false);
                if (next != null)
                {
                    _queue.AddAfter(key, next.Value);
                }
                else
                {
                    _queue.Forget(key);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Unexpected: log, and retry at a slow pace rather than spin.
                LogReconcileCrashed(_log, key, e);
                _queue.AddAfter(key, TimeSpan.FromSeconds(10));
            }
            finally
            {
                _queue.Done(key);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconcile of GitSource {Key} failed unexpectedly")]
    private static partial void LogReconcileCrashed(ILogger logger, string key, Exception exception);
}
