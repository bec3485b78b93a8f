using GitOrch.Api.Model;
using GitOrch.Api.Retry;
using GitOrch.Engine.Events;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Sources;

/// <summary>How a source reconcile reports: status changes gathered on the way, written once at the end.</summary>
public sealed partial class SourceReconciler
{
    /// <summary>The one status write of a reconcile (Flux's SummarizeAndPatch), then the events that describe it.</summary>
    private async Task SummarizeAndPatchAsync(SourceRun run, CancellationToken cancellationToken)
    {
        if (run.Patches.Count > 0)
        {
            await WriteStatusAsync(run.Namespace, run.Name, s => run.Patches.ForEach(patch => patch(s)), cancellationToken).ConfigureAwait(false);
            run.Timer.Mark("status");
        }

        run.AfterWrite.ForEach(emit => emit());
    }

    /// <summary>Records a failure: Ready=False with the reason, Stalled or retrying, history, and an Event when the message is new.</summary>
    private void Fail(SourceRun run, SourceFailure failure)
    {
        var generation = run.Source.Metadata.Generation;
        var now = _time.GetUtcNow();
        var message = failure.Message;
        var previousMessage = SourceConditions.Get(run.Source.Status, SourceConditions.Ready)?.Message;
        run.Patches.Add(s =>
        {
            s.ObservedGeneration = generation;
            if (failure.Commit != null)
            {
                s.LastFetchedCommit = failure.Commit;
            }

            s.LastHandledRequestedAt = run.Requested;
            if (failure.Warnings != null)
            {
                s.Warnings = failure.Warnings.Count == 0 ? null : failure.Warnings.Take(100).Select(w => w.ToString()).ToList();
            }

            var stalled = failure.Stalled;
            var lastGood = s.LastAppliedCommit == null ? "nothing applied yet" : $"last applied commit {s.LastAppliedCommit[..7]} keeps running";
            SourceConditions.Set(s, new Condition { Type = SourceConditions.Ready, Status = ConditionStatus.False, Reason = failure.Reason, Message = message, ObservedGeneration = generation }, now);
            SourceConditions.Set(s, new Condition { Type = SourceConditions.Reconciling, Status = stalled ? ConditionStatus.False : ConditionStatus.True, Reason = failure.Reason, Message = stalled ? lastGood : $"retrying; {lastGood}", ObservedGeneration = generation }, now);
            SourceConditions.Set(s, new Condition { Type = SourceConditions.Stalled, Status = stalled ? ConditionStatus.True : ConditionStatus.False, Reason = failure.Reason, Message = stalled ? message : "", ObservedGeneration = generation }, now);
            if (previousMessage != message || s.History == null || s.History.Count == 0 || s.History[0].Result != failure.Reason)
            {
                AddHistory(s, run, failure.Commit, failure.Reason, FirstLine(message));
            }
        });
        if (previousMessage != message)
        {
            run.AfterWrite.Add(() => _events?.Record(run.Source, EventTypes.Warning, failure.Reason, message.Length > 1000 ? message[..1000] + "..." : message, "source-controller"));
        }
    }

    /// <summary>Read-modify-write of the status, re-read on conflict (someone changed the spec or an annotation meanwhile).</summary>
    private Task WriteStatusAsync(string ns, string name, Action<GitSourceStatus> mutate, CancellationToken cancellationToken)
        => ConflictRetry.RunAsync(e => e is StoreException { IsConflict: true }, async ct =>
        {
            var fresh = _store.Get<GitSource>(ns, name);
            if (fresh == null)
            {
                return;
            }

            fresh.Status ??= new GitSourceStatus();
            mutate(fresh.Status);
            await _store.UpdateStatusAsync(fresh, ct).ConfigureAwait(false);
        }, cancellationToken);

    private void AddHistory(GitSourceStatus s, SourceRun run, string? commit, string result, string message)
    {
        var history = s.History ??= new List<ReconcileRecord>();
        history.Insert(0, new ReconcileRecord { Commit = commit, Result = result, Started = run.Started, DurationMs = Math.Round(run.Timer.Elapsed.TotalMilliseconds, 1), Message = message });
        if (history.Count > _options.HistoryLimit)
        {
            history.RemoveRange(_options.HistoryLimit, history.Count - _options.HistoryLimit);
        }
    }

    private static string FirstLine(string s)
    {
        var i = s.IndexOf('\n', StringComparison.Ordinal);
        return i < 0 ? s : s[..i];
    }
}
