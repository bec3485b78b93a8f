using GitOrch.Api.Model;
using GitOrch.Engine.Events;
using GitOrch.Engine.Runtime;
using GitOrch.Engine.Sources.Health;

namespace GitOrch.Engine.Sources;

/// <summary>
/// The health gate (<c>spec.wait</c> / <c>spec.healthChecks</c>, Flux's wait and healthChecks): after an apply the
/// source stays Reconciling with Ready=Unknown until the objects are healthy, then Ready=True; an object that failed
/// for good, or one still unhealthy after <c>spec.timeout</c>, makes it Ready=False HealthCheckFailed naming each one.
/// </summary>
public sealed partial class SourceReconciler
{
    /// <summary>How often a source whose objects are still rolling out looks again.</summary>
    private static readonly TimeSpan HealthPoll = TimeSpan.FromSeconds(1);

    private Task<ReconcileResult?> ReconcileHealthAsync(SourceRun run, CancellationToken cancellationToken)
    {
        var next = ReconcileResult.After(Jittered(run.Interval));
        var targets = HealthTargets(run);
        if (targets.Count == 0 || (run.UpToDate && SourceConditions.IsTrue(run.Status, SourceConditions.Ready)))
        {
            return Task.FromResult<ReconcileResult?>(next); // a healthy applied commit is not checked again until it changes
        }

        var now = _time.GetUtcNow();
        if (run.State.Health.Commit != run.Fetched.Commit || run.State.Health.Generation != run.Generation)
        {
            run.State.Health = (run.Fetched.Commit, run.Generation, now);
        }

        var unhealthy = targets.Select(t => t.Kind == null ? new ObjectHealth(t.Label, HealthState.Failed, "unknown kind") : HealthChecker.Check(_store, t.Kind, t.Namespace, t.Name))
            .Where(h => h.State != HealthState.Healthy)
            .ToList();
        if (unhealthy.Count == 0)
        {
            Healthy(run, targets.Count, now);
            return Task.FromResult<ReconcileResult?>(next);
        }

        if (unhealthy.Any(h => h.State == HealthState.Failed) || now - run.State.Health.Since > run.Timeout)
        {
            var message = $"health check failed for commit {run.ShortSha} (timeout {run.Timeout.TotalSeconds:0} s): " + string.Join("; ", unhealthy);
            Fail(run, new SourceFailure(SourceConditions.HealthCheckFailed, message, run.Fetched.Commit, Stalled: false));
            return Task.FromResult<ReconcileResult?>(next);
        }

        var waiting = $"Health check of {run.ShortSha}: waiting for " + string.Join("; ", unhealthy);
        run.Patches.Add(s =>
        {
            SourceConditions.Set(s, new Condition { Type = SourceConditions.Ready, Status = ConditionStatus.Unknown, Reason = SourceConditions.Progressing, Message = waiting, ObservedGeneration = run.Generation }, now);
            SourceConditions.Set(s, new Condition { Type = SourceConditions.Reconciling, Status = ConditionStatus.True, Reason = SourceConditions.Progressing, Message = waiting, ObservedGeneration = run.Generation }, now);
        });
        return Task.FromResult<ReconcileResult?>(ReconcileResult.After(HealthPoll));
    }

    /// <summary>Whether status says this source is still (or again) waiting on its objects' health.</summary>
    private static bool HealthPending(SourceRun run)
    {
        var ready = SourceConditions.Get(run.Status, SourceConditions.Ready);
        return ready != null && (run.Spec.Wait == true || run.Spec.HealthChecks?.Count > 0)
            && ((ready.Status == ConditionStatus.Unknown && ready.Reason == SourceConditions.Progressing) || ready.Reason == SourceConditions.HealthCheckFailed);
    }

    private void Healthy(SourceRun run, int count, DateTimeOffset now)
    {
        var wasWaiting = SourceConditions.Get(run.Status, SourceConditions.Ready)?.Status != ConditionStatus.True;
        var message = $"Applied {run.ShortSha}; {count} object(s) healthy";
        run.Patches.Add(s =>
        {
            s.LastHandledRequestedAt = run.Requested;
            SourceConditions.Set(s, new Condition { Type = SourceConditions.Ready, Status = ConditionStatus.True, Reason = SourceConditions.Succeeded, Message = message, ObservedGeneration = run.Generation }, now);
            SourceConditions.Set(s, new Condition { Type = SourceConditions.Reconciling, Status = ConditionStatus.False, Reason = SourceConditions.Succeeded, Message = message, ObservedGeneration = run.Generation }, now);
            SourceConditions.Set(s, new Condition { Type = SourceConditions.Stalled, Status = ConditionStatus.False, Reason = SourceConditions.Succeeded, Message = "", ObservedGeneration = run.Generation }, now);
        });
        if (wasWaiting)
        {
            run.AfterWrite.Add(() => _events?.Record(run.Source, EventTypes.Normal, SourceConditions.Succeeded, message, "source-controller"));
        }
    }

    /// <summary>spec.healthChecks when given, else (with spec.wait) everything the commit applied.</summary>
    private static List<HealthTarget> HealthTargets(SourceRun run)
    {
        var defaultNamespace = run.Spec.TargetNamespace ?? run.Namespace;
        if (run.Spec.HealthChecks is { Count: > 0 } checks)
        {
            return checks.Select(c => HealthTarget.Of(c.ApiVersion, c.Kind, c.Namespace ?? defaultNamespace, c.Name)).ToList();
        }

        return run.Spec.Wait == true
            ? run.Plan.Inventory.Select(e => HealthTarget.Of(e.ApiVersion, e.Kind, e.Namespace, e.Name)).ToList()
            : new List<HealthTarget>();
    }

    private sealed record HealthTarget(ResourceKind? Kind, string? Namespace, string Name, string Label)
    {
        public static HealthTarget Of(string? apiVersion, string kind, string? ns, string name)
        {
            var found = (apiVersion != null && ResourceKinds.TryFind(apiVersion, kind, out var k)) || ResourceKinds.TryFindByName(kind, out k);
            var resolved = found ? k : null;
            var scoped = resolved is { Namespaced: false } ? null : ns;
            return new HealthTarget(resolved, scoped, name, kind + " " + (scoped == null ? name : scoped + "/" + name));
        }
    }
}
