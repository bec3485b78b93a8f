using System.Collections.Concurrent;
using System.Diagnostics;
using GitOrch.Api.Model;
using GitOrch.Engine.Events;
using GitOrch.Engine.Sources.Applying;
using GitOrch.Engine.Sources.Fetch;
using GitOrch.Engine.Sources.Loading;
using GitOrch.Engine.Sources.Planning;
using GitOrch.Engine.Sources.Previews;
using GitOrch.Engine.Sources.Validation;
using GitOrch.Engine.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOrch.Engine.Sources;

/// <summary>
/// One reconcile of one GitSource: fetch -> load -> validate everything -> plan -> apply -> status.
/// Level-based: it reads the source, the remote and the live objects and drives them together, whatever
/// woke it (poll, webhook, "reconcile now", spec change). Invalid input is terminal until the next
/// commit; fetch and apply errors are retried with backoff. The last good commit keeps running either way.
/// </summary>
public sealed partial class SourceReconciler
{
    private readonly IObjectStore _store;
    private readonly IEventRecorder? _events;
    private readonly SourceOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<string, SourceState> _states = new(StringComparer.Ordinal);

    public SourceReconciler(IObjectStore store, SourceRepositories repositories, SourceOptions options, IEventRecorder? events = null, TimeProvider? time = null, ILogger<SourceReconciler>? log = null)
    {
        _store = store;
        Repositories = repositories;
        _options = options;
        _events = events;
        _time = time ?? TimeProvider.System;
        _log = (ILogger?)log ?? NullLogger.Instance;
        Previews = new PreviewReconciler(store, repositories, Fetcher, options, _time);
    }

    public SourceRepositories Repositories { get; }

    /// <summary>Phase timings of the last reconcile ("fetch=3.1 load=12.0 ..."), for logs and the benchmark.</summary>
    public string LastTimings { get; private set; } = "";
    public SourceFetcher Fetcher { get; } = new();
    public PreviewReconciler Previews { get; }

    /// <summary>Reconciles; returns when to poll again (null: not until something changes).</summary>
    public async Task<TimeSpan?> ReconcileAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var key = ns + "/" + name;
        var state = _states.GetOrAdd(key, _ => new SourceState());
        await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ReconcileLockedAsync(ns, name, state, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            state.Gate.Release();
        }
    }

    private async Task<TimeSpan?> ReconcileLockedAsync(string ns, string name, SourceState state, CancellationToken cancellationToken)
    {
        var source = _store.Get<GitSource>(ns, name);
        if (source == null || source.Metadata.DeletionTimestamp != null)
        {
            // Objects stay: deleting the source must not take production down with it. Its previews go.
            _states.TryRemove(ns + "/" + name, out _);
            Repositories.Forget(ns, name);
            await Previews.RemoveAllAsync(ns, name, cancellationToken).ConfigureAwait(false);
            return null;
        }

        using var scope = _log.BeginScope("GitSource {Namespace}/{Name} generation {Generation}", ns, name, source.Metadata.Generation);
        var spec = source.Spec ?? new GitSourceSpec();
        var generation = source.Metadata.Generation ?? 0;
        var interval = GoDuration.Parse(spec.Interval, _options.DefaultInterval);
        var timeout = GoDuration.Parse(spec.Timeout, _options.DefaultTimeout);
        var requested = source.Metadata.Annotation(SourceLabels.RequestedAt);
        var status = source.Status ?? new GitSourceStatus();
        var started = _time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        var phases = new System.Text.StringBuilder();
        var mark = 0.0;
        void Phase(string what)
        {
            var now = clock.Elapsed.TotalMilliseconds;
            phases.Append(what).Append('=').Append((now - mark).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)).Append(' ');
            mark = now;
            LastTimings = phases.ToString();
        }

        if (spec.Suspend == true)
        {
            if (SourceConditions.Get(status, SourceConditions.Reconciling)?.Reason != SourceConditions.Suspended)
            {
                await WriteStatusAsync(ns, name, s => SourceConditions.Set(s, SourceConditions.Reconciling, ConditionStatus.False, SourceConditions.Suspended, "Suspended: the last applied commit keeps running, nothing is fetched", generation, started), cancellationToken).ConfigureAwait(false);
            }

            return null;
        }

        GitCredential? credential;
        try
        {
            credential = ResolveCredential(ns, spec);
        }
        catch (InvalidOperationException e)
        {
            await FailAsync(source, state, SourceConditions.SecretNotFound, e.Message, null, stalled: true, started, clock, requested, cancellationToken).ConfigureAwait(false);
            return interval;
        }

        var cache = Repositories.Get(ns, name);
        FetchResult fetched;
        DesiredState desired;
        await cache.Lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            try
            {
                fetched = await Fetcher.FetchAsync(cache, spec, credential, timeout, cancellationToken).ConfigureAwait(false);
                Phase("fetch");
            }
            catch (GitFetchException e)
            {
                if (e.Reason == "Timeout")
                {
                    Repositories.Abandon(ns, name);
                }

                LogFetchFailed(_log, e.Message);
                await FailAsync(source, state, SourceConditions.FetchFailed, e.Message, null, stalled: false, started, clock, requested, cancellationToken).ConfigureAwait(false);
                return Backoff(state, interval);
            }

            if (fetched.Commit == state.FailedCommit && generation == state.FailedGeneration && requested == status.LastHandledRequestedAt)
            {
                return Jittered(interval); // still the same bad commit: its errors are already in status
            }

            if (state.Desired != null && state.Desired.Commit == fetched.Commit && state.DesiredGeneration == generation)
            {
                desired = state.Desired;
            }
            else
            {
                var commit = cache.CommitOf(fetched.Commit)!;
                var load = new ManifestLoader(_options.Limits).Load(commit, spec.Path, state.Files);
                Phase("load");
                desired = DesiredState.Build(load, commit.Sha, ns, name, spec.TargetNamespace);
                Phase("desired");
                SourceValidator.Validate(desired, _store);
                Phase("validate");
            }
        }
        finally
        {
            cache.Lock.Release();
        }

        var shortSha = fetched.Commit[..7];
        if (desired.IsValid && state.InSyncCommit == fetched.Commit && state.InSyncAtRevision == _store.Revision
            && status.LastAppliedCommit == fetched.Commit && status.ObservedGeneration == generation && requested == status.LastHandledRequestedAt)
        {
            // Nothing at all was written to the store since this commit was found in sync: nothing can have drifted.
            Phase("noop");
            await ReconcilePreviewsAsync(source, credential, timeout, cancellationToken).ConfigureAwait(false);
            return Jittered(interval);
        }

        if (!desired.IsValid)
        {
            state.FailedCommit = fetched.Commit;
            state.FailedGeneration = generation;
            var message = $"commit {shortSha} has {desired.Errors.Count} error(s), nothing applied:\n" + string.Join("\n", desired.Errors);
            await FailAsync(source, state, SourceConditions.ValidationFailed, message, fetched.Commit, stalled: true, started, clock, requested, cancellationToken, desired.Warnings).ConfigureAwait(false);
            await ReconcilePreviewsAsync(source, credential, timeout, cancellationToken).ConfigureAwait(false);
            return Jittered(interval);
        }

        var live = new LiveView(_store, desired.Objects.Select(o => o.Kind).Concat((status.Inventory ?? new()).Select(Planner.KindOf)), SourceLabels.SourceValue(ns, name));
        Phase("live");
        var plan = Planner.Build(desired, status.Inventory, live, spec.Prune ?? true, fetched.RefName, state.KnownRevisions);
        Phase("plan");
        if (plan.Errors.Count > 0)
        {
            state.FailedCommit = fetched.Commit;
            state.FailedGeneration = generation;
            await FailAsync(source, state, SourceConditions.ValidationFailed, $"commit {shortSha}: nothing applied:\n" + string.Join("\n", plan.Errors), fetched.Commit, stalled: true, started, clock, requested, cancellationToken).ConfigureAwait(false);
            return Jittered(interval);
        }

        state.FailedCommit = null;
        var upToDate = status.LastAppliedCommit == fetched.Commit && status.ObservedGeneration == generation
            && requested == status.LastHandledRequestedAt && SourceConditions.IsTrue(status, SourceConditions.Ready);
        if (plan.Changes.Count == 0 && upToDate)
        {
            // The fast no-op: same commit, nothing drifted, status already says so. No write at all.
            state.Desired = desired;
            state.DesiredGeneration = generation;
            state.KnownRevisions = Revisions(desired, live, null);
            state.ConsecutiveFailures = 0;
            state.InSyncCommit = fetched.Commit;
            state.InSyncAtRevision = _store.Revision;
            Phase("noop");
            await ReconcilePreviewsAsync(source, credential, timeout, cancellationToken).ConfigureAwait(false);
            return Jittered(interval);
        }

        if (plan.Changes.Count > 0)
        {
            await WriteStatusAsync(ns, name, s =>
            {
                s.LastFetchedCommit = fetched.Commit;
                SourceConditions.Set(s, SourceConditions.Reconciling, ConditionStatus.True, SourceConditions.Progressing, $"Applying {plan.Changes.Count} change(s) from {shortSha}", generation, _time.GetUtcNow());
            }, cancellationToken).ConfigureAwait(false);
        }

        Dictionary<string, long> written;
        try
        {
            written = await Applier.ApplyAsync(_store, plan, fetched.Commit, cancellationToken).ConfigureAwait(false);
            Phase("apply");
        }
        catch (ApplyException e)
        {
            await FailAsync(source, state, SourceConditions.ApplyFailed, $"commit {shortSha}: {e.Message}", fetched.Commit, stalled: false, started, clock, requested, cancellationToken).ConfigureAwait(false);
            state.KnownRevisions.Clear();
            return Backoff(state, interval);
        }

        state.Desired = desired;
        state.DesiredGeneration = generation;
        state.KnownRevisions = Revisions(desired, live, written);
        state.ConsecutiveFailures = 0;
        var summary = plan.Changes.Count == 0
            ? $"Applied {Describe(fetched)}@{shortSha}: {plan.Unchanged} object(s), nothing to change"
            : $"Applied {Describe(fetched)}@{shortSha}: {plan.Creates} created, {plan.Updates} updated, {plan.Deletes} deleted, {plan.Unchanged} unchanged";
        var now = _time.GetUtcNow();
        await WriteStatusAsync(ns, name, s =>
        {
            s.ObservedGeneration = generation;
            s.LastFetchedCommit = fetched.Commit;
            s.LastAppliedCommit = fetched.Commit;
            s.Inventory = plan.Inventory;
            s.Warnings = plan.Warnings.Count == 0 ? null : plan.Warnings.Take(100).ToList();
            s.LastHandledRequestedAt = requested;
            SourceConditions.Set(s, SourceConditions.Ready, ConditionStatus.True, SourceConditions.Succeeded, summary, generation, now);
            SourceConditions.Set(s, SourceConditions.Reconciling, ConditionStatus.False, SourceConditions.Succeeded, summary, generation, now);
            SourceConditions.Set(s, SourceConditions.Stalled, ConditionStatus.False, SourceConditions.Succeeded, "", generation, now);
            AddHistory(s, fetched.Commit, SourceConditions.Succeeded, started, clock, summary);
        }, cancellationToken).ConfigureAwait(false);
        Phase("status");
        if (plan.Changes.Count > 0)
        {
            _events?.Record(source, EventTypes.Normal, SourceConditions.Succeeded, summary, "source-controller");
            LogApplied(_log, summary);
        }

        await ReconcilePreviewsAsync(source, credential, timeout, cancellationToken).ConfigureAwait(false);
        return Jittered(interval);
    }

    /// <summary>The plan applying <paramref name="reference"/> would carry out now; changes nothing.</summary>
    public async Task<Plan> PlanAsync(string ns, string name, string? reference, CancellationToken cancellationToken)
    {
        var source = _store.Get<GitSource>(ns, name) ?? throw StoreException.NotFound(ResourceKinds.GitSource, name);
        var spec = source.Spec ?? new GitSourceSpec();
        var credential = ResolveCredential(ns, spec);
        var timeout = GoDuration.Parse(spec.Timeout, _options.DefaultTimeout);
        var cache = Repositories.Get(ns, name);
        DesiredState desired;
        FetchResult fetched;
        await cache.Lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            fetched = string.IsNullOrEmpty(reference)
                ? await Fetcher.FetchAsync(cache, spec, credential, timeout, cancellationToken).ConfigureAwait(false)
                : await Fetcher.FetchAnyAsync(cache, spec.Url, reference, credential, timeout, cancellationToken).ConfigureAwait(false);
            var load = new ManifestLoader(_options.Limits).Load(cache.CommitOf(fetched.Commit)!, spec.Path);
            desired = DesiredState.Build(load, fetched.Commit, ns, name, spec.TargetNamespace);
            SourceValidator.Validate(desired, _store);
        }
        finally
        {
            cache.Lock.Release();
        }

        var inventory = source.Status?.Inventory;
        var live = new LiveView(_store, desired.Objects.Select(o => o.Kind).Concat((inventory ?? new()).Select(Planner.KindOf)), SourceLabels.SourceValue(ns, name));
        var plan = Planner.Build(desired, inventory, live, spec.Prune ?? true, reference ?? fetched.RefName);
        if (plan.Errors.Count > 0)
        {
            plan.Changes.Clear(); // an invalid commit applies nothing, so its plan changes nothing
        }

        return plan;
    }

    private async Task ReconcilePreviewsAsync(GitSource source, GitCredential? credential, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var spec = source.Spec!;
        if (spec.Previews?.Enabled != true && (source.Status?.Previews?.Count ?? 0) == 0)
        {
            return;
        }

        try
        {
            var previews = await Previews.ReconcileAsync(source, credential, timeout, cancellationToken).ConfigureAwait(false);
            if (previews != null)
            {
                await WriteStatusAsync(source.Metadata.Namespace!, source.Name, s => s.Previews = previews.Count == 0 ? null : previews, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (GitFetchException e)
        {
            LogFetchFailed(_log, "previews: " + e.Message);
        }
    }

    private GitCredential? ResolveCredential(string ns, GitSourceSpec spec) => SourceCredentials.Resolve(_store, ns, spec);

    private async Task FailAsync(GitSource source, SourceState state, string reason, string message, string? commit, bool stalled, DateTimeOffset started, Stopwatch clock, string? requested, CancellationToken cancellationToken, IReadOnlyList<ManifestIssue>? warnings = null)
    {
        state.ConsecutiveFailures++;
        var generation = source.Metadata.Generation;
        var now = _time.GetUtcNow();
        var previousMessage = SourceConditions.Get(source.Status, SourceConditions.Ready)?.Message;
        await WriteStatusAsync(source.Metadata.Namespace!, source.Name, s =>
        {
            s.ObservedGeneration = generation;
            if (commit != null)
            {
                s.LastFetchedCommit = commit;
            }

            s.LastHandledRequestedAt = requested;
            if (warnings != null)
            {
                s.Warnings = warnings.Count == 0 ? null : warnings.Take(100).Select(w => w.ToString()).ToList();
            }

            var lastGood = s.LastAppliedCommit == null ? "nothing applied yet" : $"last applied commit {s.LastAppliedCommit[..7]} keeps running";
            SourceConditions.Set(s, SourceConditions.Ready, ConditionStatus.False, reason, message, generation, now);
            SourceConditions.Set(s, SourceConditions.Reconciling, stalled ? ConditionStatus.False : ConditionStatus.True, reason, stalled ? lastGood : $"retrying; {lastGood}", generation, now);
            SourceConditions.Set(s, SourceConditions.Stalled, stalled ? ConditionStatus.True : ConditionStatus.False, reason, stalled ? message : "", generation, now);
            if (previousMessage != message || s.History == null || s.History.Count == 0 || s.History[0].Result != reason)
            {
                AddHistory(s, commit, reason, started, clock, FirstLine(message));
            }
        }, cancellationToken).ConfigureAwait(false);
        if (previousMessage != message)
        {
            _events?.Record(source, EventTypes.Warning, reason, message.Length > 1000 ? message[..1000] + "..." : message, "source-controller");
        }
    }

    private async Task WriteStatusAsync(string ns, string name, Action<GitSourceStatus> mutate, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var fresh = _store.Get<GitSource>(ns, name);
            if (fresh == null)
            {
                return;
            }

            fresh.Status ??= new GitSourceStatus();
            mutate(fresh.Status);
            try
            {
                await _store.UpdateStatusAsync(fresh, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (StoreException e) when (e.IsConflict)
            {
                // Someone changed the source meanwhile (spec or annotation): re-read and write again.
            }
        }
    }

    private void AddHistory(GitSourceStatus s, string? commit, string result, DateTimeOffset started, Stopwatch clock, string message)
    {
        var history = s.History ??= new List<ReconcileRecord>();
        history.Insert(0, new ReconcileRecord { Commit = commit, Result = result, Started = started, DurationMs = Math.Round(clock.Elapsed.TotalMilliseconds, 1), Message = message });
        if (history.Count > _options.HistoryLimit)
        {
            history.RemoveRange(_options.HistoryLimit, history.Count - _options.HistoryLimit);
        }
    }

    private static Dictionary<string, long> Revisions(DesiredState desired, LiveView live, Dictionary<string, long>? written)
    {
        var map = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var d in desired.Objects)
        {
            if (written != null && written.TryGetValue(d.Key, out var w))
            {
                map[d.Key] = w;
            }
            else if (live.RevisionOf(d.Kind, d.Namespace, d.Name) is { } r)
            {
                map[d.Key] = r;
            }
        }

        return map;
    }

    private TimeSpan Jittered(TimeSpan interval)
    {
        var spread = interval.TotalMilliseconds * _options.Jitter;
        return interval + TimeSpan.FromMilliseconds((Random.Shared.NextDouble() * 2 - 1) * spread);
    }

    private TimeSpan Backoff(SourceState state, TimeSpan interval)
    {
        var seconds = Math.Pow(2, Math.Min(state.ConsecutiveFailures, 10));
        return TimeSpan.FromSeconds(Math.Min(seconds, Math.Max(interval.TotalSeconds, 1)));
    }

    private static string Describe(FetchResult f) => f.RefName?.Replace("refs/heads/", "", StringComparison.Ordinal).Replace("refs/tags/", "", StringComparison.Ordinal) ?? "commit";

    private static string FirstLine(string s)
    {
        var i = s.IndexOf('\n', StringComparison.Ordinal);
        return i < 0 ? s : s[..i];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fetch failed: {Message}")]
    private static partial void LogFetchFailed(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Summary}")]
    private static partial void LogApplied(ILogger logger, string summary);
}
