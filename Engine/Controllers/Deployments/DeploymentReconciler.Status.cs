using System.Globalization;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;
using GitOrch.Engine.Controllers.Common;
using GitOrch.Engine.Runtime;
using GitOrch.Engine.Events;

namespace GitOrch.Engine.Controllers.Deployments;

/// <summary>Status, conditions, progress deadline and automatic rollback.</summary>
public sealed partial class DeploymentReconciler
{
    private const int DefaultProgressDeadlineSeconds = 600;

    private async Task<ReconcileResult> SyncStatusAsync(Deployment d, ReplicaSetView? newRs, List<ReplicaSetView> views, RolloutStep step, DateTimeOffset now, CancellationToken ct)
    {
        var replicas = d.Spec!.Replicas ?? 1;
        var (_, maxUnavailable) = RollingUpdateMath.Limits(d);
        var old = d.Status ?? new DeploymentStatus();
        var status = new DeploymentStatus
        {
            ObservedGeneration = d.Metadata.Generation,
            Replicas = views.Sum(v => v.Actual),
            UpdatedReplicas = newRs?.Actual ?? 0,
            ReadyReplicas = views.Sum(v => v.Ready),
            AvailableReplicas = views.Sum(v => v.Available),
            CollisionCount = old.CollisionCount,
            Conditions = old.Conditions?.Select(c => KubeJson.Clone(c)).ToList(),
        };
        status.UnavailableReplicas = Math.Max(0, replicas - status.AvailableReplicas.Value);

        var conditions = status.Conditions ??= new List<Condition>();
        if (status.AvailableReplicas >= replicas - maxUnavailable)
        {
            Conditions.Set(conditions, new Condition { Type = ConditionTypes.Available, Status = ConditionStatus.True, Reason = "MinimumReplicasAvailable", Message = "Deployment has minimum availability." }, now, touchUpdateTime: false);
        }
        else
        {
            Conditions.Set(conditions, new Condition { Type = ConditionTypes.Available, Status = ConditionStatus.False, Reason = "MinimumReplicasUnavailable", Message = "Deployment does not have minimum availability." }, now, touchUpdateTime: false);
        }

        var deadline = TimeSpan.FromSeconds(d.Spec.ProgressDeadlineSeconds ?? DefaultProgressDeadlineSeconds);
        var prev = Conditions.Find(conditions, ConditionTypes.Progressing);
        var rsName = newRs?.Name ?? step.Created?.Metadata.Name ?? "";
        var complete = newRs != null && status.UpdatedReplicas == replicas && status.Replicas == replicas && (newRs.Available >= replicas);
        var exceeded = false;
        var result = ReconcileResult.Done;
        if (d.Spec.Paused == true)
        {
            Conditions.Set(conditions, new Condition { Type = ConditionTypes.Progressing, Status = ConditionStatus.Unknown, Reason = "DeploymentPaused", Message = "Deployment is paused" }, now, touchUpdateTime: prev?.Reason != "DeploymentPaused");
        }
        else if (complete)
        {
            Conditions.Set(conditions, new Condition { Type = ConditionTypes.Progressing, Status = ConditionStatus.True, Reason = "NewReplicaSetAvailable", Message = $"ReplicaSet \"{rsName}\" has successfully progressed." }, now, touchUpdateTime: prev?.Reason != "NewReplicaSetAvailable");
        }
        else
        {
            var progressed = step.Changed || prev == null || prev.Reason is "DeploymentPaused" or "NewReplicaSetAvailable"
                || old.ObservedGeneration != d.Metadata.Generation || old.Replicas != status.Replicas || old.UpdatedReplicas != status.UpdatedReplicas
                || old.ReadyReplicas != status.ReadyReplicas || old.AvailableReplicas != status.AvailableReplicas;
            if (progressed)
            {
                var reason = step.Created != null ? "NewReplicaSetCreated" : step.RevisionBumped ? "FoundNewReplicaSet" : "ReplicaSetUpdated";
                var message = step.Created != null ? $"Created new replica set \"{rsName}\"" : $"ReplicaSet \"{rsName}\" is progressing.";
                Conditions.Set(conditions, new Condition { Type = ConditionTypes.Progressing, Status = ConditionStatus.True, Reason = reason, Message = message }, now, touchUpdateTime: true);
                result = ReconcileResult.After(deadline);
            }
            else if (prev!.Reason == "ProgressDeadlineExceeded")
            {
                exceeded = true;
            }
            else
            {
                var since = prev.LastUpdateTime ?? prev.LastTransitionTime ?? now;
                if (now - since >= deadline)
                {
                    Conditions.Set(conditions, new Condition { Type = ConditionTypes.Progressing, Status = ConditionStatus.False, Reason = "ProgressDeadlineExceeded", Message = $"ReplicaSet \"{rsName}\" has timed out progressing." }, now, touchUpdateTime: true);
                    _events.Record(d, EventTypes.Warning, "ProgressDeadlineExceeded", $"ReplicaSet \"{rsName}\" has timed out progressing: {status.AvailableReplicas}/{replicas} available after {deadline.TotalSeconds:0}s");
                    exceeded = true;
                }
                else
                {
                    result = ReconcileResult.After(since + deadline - now);
                }
            }
        }

        await WriteRevisionAnnotationsAsync(d, newRs, complete, ct).ConfigureAwait(false);
        if (!SameStatus(old, status))
        {
            var copy = KubeJson.Clone(d);
            copy.Metadata.ResourceVersion = null;
            copy.Status = status;
            try
            {
                var written = await _store.UpdateStatusAsync(copy, ct).ConfigureAwait(false);
                await _deployments.WaitForRevisionAsync(Revisions.Of(written), _controllerOptions.CacheSyncTimeout, ct).ConfigureAwait(false);
            }
            catch (Store.StoreException e) when (e.IsNotFound)
            {
                return ReconcileResult.Done;
            }
        }

        if (exceeded && d.Metadata.Annotation(DeploymentAnnotations.AutoRollback) == "true")
        {
            await AutoRollbackAsync(d, new RolloutView(newRs, views, status, replicas), deadline, ct).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        var nextAvailable = views.Select(v => v.NextAvailable).DefaultIfEmpty(TimeSpan.MaxValue).Min();
        if (nextAvailable != TimeSpan.MaxValue)
        {
            result = result.Min(ReconcileResult.After(nextAvailable));
        }

        return result;
    }

    /// <summary>The Deployment carries its current revision, and the last one that completed (the auto-rollback target).</summary>
    private async Task WriteRevisionAnnotationsAsync(Deployment d, ReplicaSetView? newRs, bool complete, CancellationToken ct)
    {
        if (newRs == null)
        {
            return;
        }

        var revision = newRs.Revision.ToString(CultureInfo.InvariantCulture);
        var wantLast = complete ? revision : d.Metadata.Annotation(DeploymentAnnotations.LastAvailableRevision);
        if (d.Metadata.Annotation(DeploymentAnnotations.Revision) == revision && d.Metadata.Annotation(DeploymentAnnotations.LastAvailableRevision) == wantLast)
        {
            return;
        }

        var copy = KubeJson.Clone(d);
        copy.Metadata.Annotations ??= new Dictionary<string, string>();
        copy.Metadata.Annotations[DeploymentAnnotations.Revision] = revision;
        if (wantLast != null)
        {
            copy.Metadata.Annotations[DeploymentAnnotations.LastAvailableRevision] = wantLast;
        }

        var written = await _store.UpdateAsync(copy, ct).ConfigureAwait(false);
        await _deployments.WaitForRevisionAsync(Revisions.Of(written), _controllerOptions.CacheSyncTimeout, ct).ConfigureAwait(false);
    }

    /// <summary>The rollout as the status pass saw it: the new ReplicaSet (if any), all of them, the status being built, the replicas wanted.</summary>
    private sealed record RolloutView(ReplicaSetView? NewRs, List<ReplicaSetView> Views, DeploymentStatus Status, int Replicas);

    private async Task AutoRollbackAsync(Deployment d, RolloutView rollout, TimeSpan deadline, CancellationToken ct)
    {
        var (newRs, views, status, replicas) = rollout;
        if (!long.TryParse(d.Metadata.Annotation(DeploymentAnnotations.LastAvailableRevision), NumberStyles.Integer, CultureInfo.InvariantCulture, out var target)
            || target == newRs?.Revision)
        {
            return;
        }

        var good = views.FirstOrDefault(v => v.Revision == target);
        if (good == null)
        {
            _events.Record(d, EventTypes.Warning, "RollbackRevisionNotFound", $"Unable to roll back automatically: revision {target} is no longer kept");
            return;
        }

        var why = $"rollout of revision {newRs?.Revision} exceeded its progress deadline ({deadline.TotalSeconds:0}s) with {newRs?.Available ?? 0}/{replicas} updated replicas available";
        await RollbackToAsync(d, good, "RolledBack", $"Rolled back to revision {target}: {why}", why, ct).ConfigureAwait(false);
    }

    private static bool SameStatus(DeploymentStatus a, DeploymentStatus b)
        => KubeJson.Serialize(a) == KubeJson.Serialize(b);
}
