using GitOrch.Api.Model;
using GitOrch.Engine.Events;
using GitOrch.Engine.Runtime;
using GitOrch.Engine.Sources.Dependencies;
using GitOrch.Engine.Sources.Applying;
using GitOrch.Engine.Sources.Fetch;
using GitOrch.Engine.Sources.Pipeline;
using GitOrch.Engine.Sources.Planning;

namespace GitOrch.Engine.Sources;

/// <summary>The ordered steps of one source reconcile: each returns null to go on, or the result that ends the run.</summary>
public sealed partial class SourceReconciler
{
    private static readonly Task<ReconcileResult?> GoOn = Task.FromResult<ReconcileResult?>(null);

    /// <summary>A suspended source keeps its last applied commit and fetches nothing.</summary>
    private Task<ReconcileResult?> ReconcileSuspendAsync(SourceRun run, CancellationToken cancellationToken)
    {
        if (run.Spec.Suspend != true)
        {
            return GoOn;
        }

        if (SourceConditions.Get(run.Status, SourceConditions.Reconciling)?.Reason != SourceConditions.Suspended)
        {
            var now = run.Started;
            run.Patches.Add(s => SourceConditions.Set(s, new Condition { Type = SourceConditions.Reconciling, Status = ConditionStatus.False, Reason = SourceConditions.Suspended, Message = "Suspended: the last applied commit keeps running, nothing is fetched", ObservedGeneration = run.Generation }, now));
        }

        return Task.FromResult<ReconcileResult?>(ReconcileResult.Done);
    }

    /// <summary>
    /// dependsOn: nothing is fetched until every dependency is Ready with its latest commit applied (and healthy, when it
    /// checks health). A cycle can never resolve, so it is terminal, like invalid input.
    /// </summary>
    private Task<ReconcileResult?> ReconcileDependenciesAsync(SourceRun run, CancellationToken cancellationToken)
    {
        var dependencies = SourceDependencies.Of(run.Source).ToList();
        if (dependencies.Count == 0)
        {
            return GoOn;
        }

        if (SourceDependencies.FindCycle(_store, run.Source) is { } cycle)
        {
            var message = "dependency cycle: " + cycle;
            Fail(run, new SourceFailure(SourceConditions.DependencyCycle, message, null, Stalled: true));
            return Task.FromResult<ReconcileResult?>(ReconcileResult.Terminal(message, run.Interval));
        }

        var waiting = dependencies.Select(d => SourceDependencies.NotReady(_store, d)).OfType<string>().ToList();
        if (waiting.Count == 0)
        {
            return GoOn;
        }

        // Woken at once by the dependency's status change (see Watch); the poll is only a safety net.
        Fail(run, new SourceFailure(SourceConditions.DependencyNotReady, string.Join("; ", waiting), null, Stalled: false));
        return Task.FromResult<ReconcileResult?>(ReconcileResult.After(Jittered(run.Interval)));
    }

    /// <summary>A secret the spec names but that does not exist: terminal until someone creates it (looked at again each interval).</summary>
    private Task<ReconcileResult?> ReconcileCredentialsAsync(SourceRun run, CancellationToken cancellationToken)
    {
        try
        {
            run.Credential = SourceCredentials.Resolve(_store, run.Namespace, run.Spec);
            return GoOn;
        }
        catch (InvalidOperationException e)
        {
            Fail(run, new SourceFailure(SourceConditions.SecretNotFound, e.Message, null, Stalled: true));
            return Task.FromResult<ReconcileResult?>(ReconcileResult.Terminal(e.Message, run.Interval));
        }
    }

    /// <summary>Fetch -> load -> desired state -> validate, through the pipeline; an unchanged good commit reuses what it loaded.</summary>
    private async Task<ReconcileResult?> ReconcileSourceAsync(SourceRun run, CancellationToken cancellationToken)
    {
        var state = run.State;
        LoadedCommit loaded;
        try
        {
            loaded = await Pipeline.LoadAsync(new CommitRequest
            {
                Namespace = run.Namespace,
                Name = run.Name,
                Spec = run.Spec,
                Fetch = (fetcher, cache, ct) => fetcher.FetchAsync(cache, run.Spec, run.Credential, run.Timeout, ct),
                Files = state.Files,
                Skip = f => f.Commit == state.FailedCommit && run.Generation == state.FailedGeneration && run.Requested == run.Status.LastHandledRequestedAt,
                Reuse = f => state.Desired != null && state.Desired.Commit == f.Commit && state.DesiredGeneration == run.Generation ? state.Desired : null,
                Timer = run.Timer,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (GitFetchException e)
        {
            if (e.Reason == "Timeout")
            {
                Repositories.Abandon(run.Namespace, run.Name);
            }

            LogFetchFailed(_log, e.Message);
            Fail(run, new SourceFailure(SourceConditions.FetchFailed, e.Message, null, Stalled: false));
            return Retry(run, e.Message);
        }

        run.Fetched = loaded.Fetched;
        if (loaded.Desired == null)
        {
            return ReconcileResult.Terminal("commit " + run.ShortSha + " is still invalid", Jittered(run.Interval)); // its errors are already in status
        }

        run.Desired = loaded.Desired;
        if (!loaded.Reused)
        {
            Pipeline.Validate(run.Desired, run.Timer);
        }

        return null;
    }

    /// <summary>Nothing at all was written to the store since this commit was found in sync: nothing can have drifted.</summary>
    private Task<ReconcileResult?> ReconcileInSyncAsync(SourceRun run, CancellationToken cancellationToken)
    {
        var state = run.State;
        if (!run.Desired.IsValid || state.InSyncCommit != run.Fetched.Commit || state.InSyncAtRevision != _store.Revision || !run.StatusHandled || HealthPending(run))
        {
            return GoOn;
        }

        run.Timer.Mark("noop");
        run.RunPreviews = true;
        return Task.FromResult<ReconcileResult?>(ReconcileResult.After(Jittered(run.Interval)));
    }

    /// <summary>Any invalid manifest: nothing is applied, the source is Stalled until a new commit (or spec) comes.</summary>
    private Task<ReconcileResult?> ReconcileValidityAsync(SourceRun run, CancellationToken cancellationToken)
    {
        var desired = run.Desired;
        if (desired.IsValid)
        {
            return GoOn;
        }

        run.State.FailedCommit = run.Fetched.Commit;
        run.State.FailedGeneration = run.Generation;
        var message = $"commit {run.ShortSha} has {desired.Errors.Count} error(s), nothing applied:\n" + string.Join("\n", desired.Errors);
        Fail(run, new SourceFailure(SourceConditions.ValidationFailed, message, run.Fetched.Commit, Stalled: true, desired.Warnings));
        run.RunPreviews = true;
        return Task.FromResult<ReconcileResult?>(ReconcileResult.Terminal(message, Jittered(run.Interval)));
    }

    /// <summary>Live view and plan; a plan that cannot be carried out (an object owned elsewhere) is invalid input too.</summary>
    private Task<ReconcileResult?> ReconcilePlanAsync(SourceRun run, CancellationToken cancellationToken)
    {
        var inventory = run.Status.Inventory;
        run.Live = Pipeline.LiveFor(run.Desired, inventory, run.Namespace, run.Name);
        run.Timer.Mark("live");
        run.Plan = CommitPipeline.Plan(run.Desired, run.Live, new PlanInputs(inventory, run.Spec.Prune ?? true, run.Fetched.RefName, run.State.KnownRevisions));
        run.Timer.Mark("plan");
        if (run.Plan.Errors.Count > 0)
        {
            run.State.FailedCommit = run.Fetched.Commit;
            run.State.FailedGeneration = run.Generation;
            var message = $"commit {run.ShortSha}: nothing applied:\n" + string.Join("\n", run.Plan.Errors);
            Fail(run, new SourceFailure(SourceConditions.ValidationFailed, message, run.Fetched.Commit, Stalled: true));
            return Task.FromResult<ReconcileResult?>(ReconcileResult.Terminal(message, Jittered(run.Interval)));
        }

        run.State.FailedCommit = null;
        return GoOn;
    }

    /// <summary>The fast no-op: same commit, nothing drifted, status already says so. No write at all.</summary>
    private Task<ReconcileResult?> ReconcileUpToDateAsync(SourceRun run, CancellationToken cancellationToken)
    {
        if (run.Plan.Changes.Count > 0 || !run.StatusHandled || !(SourceConditions.IsTrue(run.Status, SourceConditions.Ready) || HealthPending(run)))
        {
            return GoOn;
        }

        Remember(run, null);
        run.State.InSyncCommit = run.Fetched.Commit;
        run.State.InSyncAtRevision = _store.Revision;
        run.Timer.Mark("noop");
        run.RunPreviews = true;
        run.UpToDate = true;
        return GoOn;
    }

    /// <summary>Applies the plan in dependency order and records the commit, inventory and summary.</summary>
    private async Task<ReconcileResult?> ReconcileApplyAsync(SourceRun run, CancellationToken cancellationToken)
    {
        var plan = run.Plan;
        if (run.UpToDate)
        {
            return null;
        }

        if (plan.Changes.Count > 0)
        {
            // A progress note before the long phase (Reconciling=True), written now so a reader sees it while it runs.
            var message = $"Applying {plan.Changes.Count} change(s) from {run.ShortSha}";
            await WriteStatusAsync(run.Namespace, run.Name, s =>
            {
                s.LastFetchedCommit = run.Fetched.Commit;
                SourceConditions.Set(s, new Condition { Type = SourceConditions.Reconciling, Status = ConditionStatus.True, Reason = SourceConditions.Progressing, Message = message, ObservedGeneration = run.Generation }, _time.GetUtcNow());
            }, cancellationToken).ConfigureAwait(false);
        }

        Dictionary<string, long> written;
        try
        {
            written = await Applier.ApplyAsync(_store, plan, run.Fetched.Commit, cancellationToken).ConfigureAwait(false);
            run.Timer.Mark("apply");
        }
        catch (ApplyException e)
        {
            Fail(run, new SourceFailure(SourceConditions.ApplyFailed, $"commit {run.ShortSha}: {e.Message}", run.Fetched.Commit, Stalled: false));
            run.State.KnownRevisions.Clear();
            return Retry(run, e.Message);
        }

        Remember(run, written);
        Succeed(run);
        run.RunPreviews = true;
        return null;
    }

    /// <summary>Brings previews in line with the remote's pull requests; their list goes into the one status write.</summary>
    private async Task ReconcilePreviewsAsync(SourceRun run, CancellationToken cancellationToken)
    {
        if (run.Spec.Previews?.Enabled != true && (run.Status.Previews?.Count ?? 0) == 0)
        {
            return;
        }

        try
        {
            var previews = await Previews.ReconcileAsync(run.Source, run.Credential, run.Timeout, cancellationToken).ConfigureAwait(false);
            if (previews != null)
            {
                run.Patches.Add(s => s.Previews = previews.Count == 0 ? null : previews);
            }
        }
        catch (GitFetchException e)
        {
            LogFetchFailed(_log, "previews: " + e.Message);
        }
    }

    /// <summary>The commit is the cluster's now: remember its desired state and the revisions it left behind.</summary>
    private static void Remember(SourceRun run, Dictionary<string, long>? written)
    {
        var map = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var d in run.Desired.Objects)
        {
            if (written != null && written.TryGetValue(d.Key, out var w))
            {
                map[d.Key] = w;
            }
            else if (run.Live.RevisionOf(d.Kind, d.Namespace, d.Name) is { } r)
            {
                map[d.Key] = r;
            }
        }

        run.State.Desired = run.Desired;
        run.State.DesiredGeneration = run.Generation;
        run.State.KnownRevisions = map;
    }

    private void Succeed(SourceRun run)
    {
        var plan = run.Plan;
        var fetched = run.Fetched;
        var summary = plan.Changes.Count == 0
            ? $"Applied {Describe(fetched)}@{run.ShortSha}: {plan.Unchanged} object(s), nothing to change"
            : $"Applied {Describe(fetched)}@{run.ShortSha}: {plan.Creates} created, {plan.Updates} updated, {plan.Deletes} deleted, {plan.Unchanged} unchanged";
        var now = _time.GetUtcNow();
        GitOrch.Engine.Sources.Pipeline.SourceMetrics.Applied(run.Source.Namespace, run.Source.Name, now);
        run.Patches.Add(s =>
        {
            s.ObservedGeneration = run.Generation;
            s.LastFetchedCommit = fetched.Commit;
            s.LastAppliedCommit = fetched.Commit;
            s.Inventory = plan.Inventory;
            s.Warnings = plan.Warnings.Count == 0 ? null : plan.Warnings.Take(100).ToList();
            s.LastHandledRequestedAt = run.Requested;
            SourceConditions.Set(s, new Condition { Type = SourceConditions.Ready, Status = ConditionStatus.True, Reason = SourceConditions.Succeeded, Message = summary, ObservedGeneration = run.Generation }, now);
            SourceConditions.Set(s, new Condition { Type = SourceConditions.Reconciling, Status = ConditionStatus.False, Reason = SourceConditions.Succeeded, Message = summary, ObservedGeneration = run.Generation }, now);
            SourceConditions.Set(s, new Condition { Type = SourceConditions.Stalled, Status = ConditionStatus.False, Reason = SourceConditions.Succeeded, Message = "", ObservedGeneration = run.Generation }, now);
            AddHistory(s, run, fetched.Commit, SourceConditions.Succeeded, summary);
        });
        if (plan.Changes.Count > 0)
        {
            run.AfterWrite.Add(() =>
            {
                _events?.Record(run.Source, EventTypes.Normal, SourceConditions.Succeeded, summary, "source-controller");
                LogApplied(_log, summary);
            });
        }
    }

    private static string Describe(FetchResult f) => f.RefName?.Replace("refs/heads/", "", StringComparison.Ordinal).Replace("refs/tags/", "", StringComparison.Ordinal) ?? "commit";
}
