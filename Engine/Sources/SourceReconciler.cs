using System.Collections.Concurrent;
using GitOrch.Api.Model;
using GitOrch.Engine.Events;
using GitOrch.Engine.Runtime;
using GitOrch.Engine.Sources.Dependencies;
using GitOrch.Engine.Sources.Fetch;
using GitOrch.Engine.Sources.Pipeline;
using GitOrch.Engine.Sources.Planning;
using GitOrch.Engine.Sources.Previews;
using GitOrch.Engine.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOrch.Engine.Sources;

/// <summary>
/// The source controller's reconciler, run by the shared <see cref="Controller"/> like every other controller. One
/// reconcile of one GitSource is a list of ordered steps (suspend -> dependencies -> credentials -> source -> in sync ->
/// valid -> plan -> up to date -> apply -> health, then previews) sharing a <see cref="SourceRun"/>, and one status write at the end
/// (<see cref="SummarizeAndPatchAsync"/>, Flux's SummarizeAndPatch). Level-based: it reads the source, the remote and
/// the live objects and drives them together, whatever woke it (poll, webhook, "reconcile now", spec change).
/// Invalid input and a missing secret are terminal (polled again at the interval, since the fix arrives as a commit);
/// fetch and apply errors are retried with the work queue's backoff, never later than the interval. The last good
/// commit keeps running either way.
/// </summary>
public sealed partial class SourceReconciler : IReconciler
{
    private readonly IObjectStore _store;
    private readonly SharedInformers _informers;
    private readonly IEventRecorder? _events;
    private readonly SourceOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<string, SourceState> _states = new(StringComparer.Ordinal);
    private readonly Func<SourceRun, CancellationToken, Task<ReconcileResult?>>[] _steps;
    private ControllerWiring? _wiring;

    public SourceReconciler(IObjectStore store, SharedInformers informers, SourceOptions options, IEventRecorder? events = null, TimeProvider? time = null, ILogger<SourceReconciler>? log = null)
    {
        _store = store;
        _informers = informers;
        _options = options;
        _events = events;
        _time = time ?? TimeProvider.System;
        _log = (ILogger?)log ?? NullLogger.Instance;
        Pipeline = new CommitPipeline(store, new SourceRepositories(options.CacheRoot), options);
        Previews = new PreviewReconciler(store, Pipeline, options, _time);

        // Ordered: each step either hands the run on (null) or ends it with a result; cheap checks come before Git work.
        _steps = new Func<SourceRun, CancellationToken, Task<ReconcileResult?>>[]
        {
            ReconcileSuspendAsync, ReconcileDependenciesAsync, ReconcileCredentialsAsync, ReconcileSourceAsync, ReconcileInSyncAsync,
            ReconcileValidityAsync, ReconcilePlanAsync, ReconcileUpToDateAsync, ReconcileApplyAsync, ReconcileHealthAsync,
        };
    }

    public string Name => "gitsource";

    public ResourceKind Kind => ResourceKinds.GitSource;

    public CommitPipeline Pipeline { get; }

    public SourceRepositories Repositories => Pipeline.Repositories;

    public SourceFetcher Fetcher => Pipeline.Fetcher;

    public PreviewReconciler Previews { get; }

    /// <summary>
    /// Spec changes, the "reconcile now" annotation and deletions wake a source; its own status writes do not. At start
    /// every source is reconciled, and so is every source that left preview namespaces behind when it was deleted while
    /// the Engine was down (reconciling its key removes them).
    /// </summary>
    public void Watch(ControllerWiring wiring)
    {
        _wiring = wiring;
        var sources = _informers.Get<GitSource>();
        wiring.For(sources, WatchPredicates.GenerationOrAnnotationChanged<GitSource>(SourceLabels.RequestedAt));

        // A source waiting in dependsOn goes on the moment its dependency's status changes, not at its next poll.
        wiring.Watches(sources, e =>
        {
            var changed = (e.Object.Metadata.Namespace ?? "default") + "/" + e.Object.Name;
            return sources.List().Where(s => SourceDependencies.Of(s).Contains(changed)).Select(s => new ObjectKey(s.Metadata.Namespace, s.Name));
        });
        wiring.OnStart(() => Previews.PreviewOwners()
            .Select(owner => owner.Split('/', 2))
            .Where(p => _store.Get<GitSource>(p[0], p[1]) == null)
            .Select(p => new ObjectKey(p[0], p[1])));
    }

    /// <summary>Reconcile this source now (webhook, Sync); false when no controller runs this reconciler.</summary>
    public bool Trigger(string ns, string name)
    {
        if (_wiring == null)
        {
            return false;
        }

        _wiring.Enqueue(new ObjectKey(ns, name));
        return true;
    }

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var ns = key.Namespace ?? "default";
        var source = _store.Get<GitSource>(ns, key.Name);
        if (source == null || source.Metadata.DeletionTimestamp != null)
        {
            // Objects stay: deleting the source must not take production down with it. Its previews go.
            _states.TryRemove(ns + "/" + key.Name, out _);
            Repositories.Forget(ns, key.Name);
            await Previews.RemoveAllAsync(ns, key.Name, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        using var scope = _log.BeginScope("GitSource {Namespace}/{Name} generation {Generation}", ns, key.Name, source.Metadata.Generation);
        var run = new SourceRun(source, _states.GetOrAdd(ns + "/" + key.Name, _ => new SourceState()), _options, _time.GetUtcNow());
        var result = ReconcileResult.Done;
        foreach (var step in _steps)
        {
            if (await step(run, cancellationToken).ConfigureAwait(false) is { } ended)
            {
                result = ended;
                break;
            }
        }

        if (run.RunPreviews)
        {
            await ReconcilePreviewsAsync(run, cancellationToken).ConfigureAwait(false);
        }

        await SummarizeAndPatchAsync(run, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>The plan applying <paramref name="reference"/> would carry out now; changes nothing.</summary>
    public async Task<Plan> PlanAsync(string ns, string name, string? reference, CancellationToken cancellationToken)
    {
        var source = _store.Get<GitSource>(ns, name) ?? throw StoreException.NotFound(ResourceKinds.GitSource, name);
        var spec = source.Spec ?? new GitSourceSpec();
        var credential = SourceCredentials.Resolve(_store, ns, spec);
        var timeout = GoDuration.Parse(spec.Timeout, _options.DefaultTimeout);
        var loaded = await Pipeline.LoadAsync(new CommitRequest
        {
            Namespace = ns,
            Name = name,
            Spec = spec,
            Fetch = (fetcher, cache, ct) => string.IsNullOrEmpty(reference)
                ? fetcher.FetchAsync(cache, spec, credential, timeout, ct)
                : fetcher.FetchAnyAsync(cache, spec.Url, reference, credential, timeout, ct),
        }, cancellationToken).ConfigureAwait(false);
        var desired = loaded.Desired!;
        Pipeline.Validate(desired);
        var inventory = source.Status?.Inventory;
        var live = Pipeline.LiveFor(desired, inventory, ns, name);
        var plan = CommitPipeline.Plan(desired, live, new PlanInputs(inventory, spec.Prune ?? true, reference ?? loaded.Fetched.RefName));
        if (plan.Errors.Count > 0)
        {
            plan.Changes.Clear(); // an invalid commit applies nothing, so its plan changes nothing
        }

        return plan;
    }

    private TimeSpan Jittered(TimeSpan interval)
    {
        var spread = interval.TotalMilliseconds * _options.Jitter;
        return interval + TimeSpan.FromMilliseconds((Random.Shared.NextDouble() * 2 - 1) * spread);
    }

    /// <summary>A failed fetch or apply: the work queue's backoff, but never later than the next poll.</summary>
    private static ReconcileResult Retry(SourceRun run, string message)
        => ReconcileResult.Error(message, TimeSpan.FromSeconds(Math.Max(run.Interval.TotalSeconds, 1)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fetch failed: {Message}")]
    private static partial void LogFetchFailed(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Summary}")]
    private static partial void LogApplied(ILogger logger, string summary);
}
