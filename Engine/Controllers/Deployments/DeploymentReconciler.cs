using System.Globalization;
using GitOrch.Api.Model;
using GitOrch.Api.Selectors;
using GitOrch.Api.Serialization;
using GitOrch.Engine.Controllers.Common;
using GitOrch.Engine.Runtime;
using GitOrch.Engine.Events;
using GitOrch.Engine.Store;
using Microsoft.Extensions.Logging;

namespace GitOrch.Engine.Controllers.Deployments;

/// <summary>
/// Turns a Deployment into ReplicaSets: one per Pod template (named deployment-hash, labelled pod-template-hash), the
/// current one scaled up and older ones scaled down by the strategy (RollingUpdate within maxSurge/maxUnavailable, or
/// Recreate), then status and the Available/Progressing conditions. Also carries out rollback requests
/// (<see cref="DeploymentAnnotations.RollbackTo"/>) and, when asked for, automatic rollback of a stuck rollout.
/// Each reconcile reads everything from the caches and takes one safe step; the ReplicaSet and Pod changes it causes
/// wake it for the next.
/// </summary>
public sealed partial class DeploymentReconciler(IObjectStore store, SharedInformers informers, IEventRecorder events, TimeProvider time, ControllerOptions controllerOptions, ILogger<DeploymentReconciler> logger) : IReconciler
{
    private readonly IObjectStore _store = store;
    private readonly Informer<Deployment> _deployments = informers.Get<Deployment>();
    private readonly Informer<ReplicaSet> _replicaSets = informers.Get<ReplicaSet>();
    private readonly Informer<Pod> _pods = informers.Get<Pod>();
    private readonly ChildClaims<ReplicaSet> _claims = new(store, informers.Get<ReplicaSet>(), controllerOptions.CacheSyncTimeout);
    private readonly IEventRecorder _events = events;
    private readonly TimeProvider _time = time;
    private readonly ControllerOptions _controllerOptions = controllerOptions;
    private readonly ILogger<DeploymentReconciler> _logger = logger;

    public string Name => "deployment";

    public ResourceKind Kind => ResourceKinds.Deployment;

    public void Watch(ControllerWiring wiring)
    {
        // Pod changes reach the Deployment through its ReplicaSets' status (the ReplicaSet controller counts ready and
        // available Pods from the same cache), not one wake-up per Pod event: with 10,000 Pods that is the difference
        // between a few dozen reconciles and ten thousand.
        wiring.For(_deployments)
            .Owns(_replicaSets, "Deployment")
            .Watches(_replicaSets, e => ChildClaims.Claimants(e, _deployments, o => o.Spec?.Selector))
            .Uses(_pods);
    }

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var d = _deployments.Get(key);
        if (d == null || d.Metadata.DeletionTimestamp != null)
        {
            return ReconcileResult.Done;
        }

        if (!WorkloadSelector.TryParse(d.Spec?.Selector, out var selector, out var invalid))
        {
            return invalid;
        }

        var now = _time.GetUtcNow();
        var replicaSets = await ClaimReplicaSetsAsync(d, selector, cancellationToken).ConfigureAwait(false);
        var minReady = d.Spec?.MinReadySeconds ?? 0;
        var views = replicaSets.Select(rs => new ReplicaSetView(rs, _pods, minReady, now)).ToList();
        var template = PodTemplateHash.Canonical(d.Spec!.Template);
        var newRs = views.Where(v => PodTemplateHash.Canonical(v.ReplicaSet.Spec!.Template) == template).OrderByDescending(v => v.Revision).FirstOrDefault();
        var old = views.Where(v => v != newRs).ToList();

        if (d.Metadata.Annotation(DeploymentAnnotations.RollbackTo) is { } rollbackTo)
        {
            await RollbackAsync(d, rollbackTo, views, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        var step = new RolloutStep();
        if (d.Spec.Paused == true)
        {
            ScalePaused(d, newRs, old, step);
        }
        else if (d.Spec.Strategy?.Type == "Recreate")
        {
            newRs = Recreate(d, newRs, old, views, step);
        }
        else
        {
            newRs = RollingUpdate(d, newRs, old, views, step);
        }

        await ApplyAsync(d, newRs, old, step, cancellationToken).ConfigureAwait(false);
        if (step.Created != null)
        {
            newRs = new ReplicaSetView(step.Created, _pods, minReady, now);
            views.Add(newRs);
        }

        await CleanupHistoryAsync(d, newRs, old, cancellationToken).ConfigureAwait(false);
        return await SyncStatusAsync(d, newRs, views, step, now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>ReplicaSets this Deployment controls, adopting orphans its selector matches and releasing those that stopped matching.</summary>
    private async Task<List<ReplicaSet>> ClaimReplicaSetsAsync(Deployment d, Selector selector, CancellationToken ct)
    {
        var claim = await _claims.ClaimAsync(d, selector, ct).ConfigureAwait(false);
        return claim.Changed == 0
            ? claim.Owned
            : _replicaSets.ByIndex(WellKnownIndexes.ControllerUid, d.Metadata.Uid!).Where(rs => rs.Metadata.DeletionTimestamp == null).ToList();
    }

    private ReplicaSetView? RollingUpdate(Deployment d, ReplicaSetView? newRs, List<ReplicaSetView> old, List<ReplicaSetView> all, RolloutStep step)
    {
        var replicas = d.Spec!.Replicas ?? 1;
        var (maxSurge, maxUnavailable) = RollingUpdateMath.Limits(d);
        var target = RollingUpdateMath.NewReplicas(replicas, maxSurge, newRs, all);
        if (newRs == null)
        {
            step.Create = target;
        }
        else if (target != newRs.Spec)
        {
            step.Scale(newRs, target);
        }

        foreach (var (name, spec) in RollingUpdateMath.ScaleDownOld(replicas, maxUnavailable, newRs, old))
        {
            step.Scale(old.First(v => v.Name == name), spec, alreadyApplied: true);
        }

        return newRs;
    }

    /// <summary>Recreate: every old Pod gone before the new ReplicaSet gets any.</summary>
    private ReplicaSetView? Recreate(Deployment d, ReplicaSetView? newRs, List<ReplicaSetView> old, List<ReplicaSetView> all, RolloutStep step)
    {
        var replicas = d.Spec!.Replicas ?? 1;
        foreach (var v in old.Where(v => v.Spec > 0))
        {
            step.Scale(v, 0);
        }

        if (old.Any(v => v.Actual > 0 || v.Spec > 0))
        {
            // Wait for the old Pods to go; their deletions wake this Deployment again.
            return newRs;
        }

        if (newRs == null)
        {
            step.Create = replicas;
        }
        else if (newRs.Spec != replicas)
        {
            step.Scale(newRs, replicas);
        }

        return newRs;
    }

    /// <summary>Paused: no new revision rolls out, but scale changes still reach the current ReplicaSet.</summary>
    private static void ScalePaused(Deployment d, ReplicaSetView? newRs, List<ReplicaSetView> old, RolloutStep step)
    {
        var replicas = d.Spec!.Replicas ?? 1;
        var active = old.Where(v => v.Spec > 0).ToList();
        if (newRs != null && active.Count == 0 && newRs.Spec != replicas)
        {
            step.Scale(newRs, replicas);
        }
        else if (newRs == null && active.Count == 1 && active[0].Spec != replicas)
        {
            step.Scale(active[0], replicas);
        }
    }

    /// <summary>
    /// Writes the step in one transaction: the new ReplicaSet, every scale change, and the revision bump of a
    /// ReplicaSet whose template came back (a rollback makes an old revision the newest again).
    /// </summary>
    private async Task ApplyAsync(Deployment d, ReplicaSetView? newRs, List<ReplicaSetView> old, RolloutStep step, CancellationToken ct)
    {
        var maxOld = old.Select(v => v.Revision).DefaultIfEmpty(0).Max();
        var copies = new Dictionary<string, ReplicaSet>(StringComparer.Ordinal);
        ReplicaSet CopyOf(ReplicaSetView v)
        {
            if (!copies.TryGetValue(v.Name, out var c))
            {
                copies[v.Name] = c = KubeJson.Clone(v.ReplicaSet);
            }

            return c;
        }

        foreach (var (view, replicas) in step.Scales)
        {
            CopyOf(view).Spec!.Replicas = replicas;
        }

        if (newRs != null && newRs.Revision <= maxOld)
        {
            var c = CopyOf(newRs);
            c.Metadata.Annotations ??= new Dictionary<string, string>();
            c.Metadata.Annotations[DeploymentAnnotations.Revision] = (maxOld + 1).ToString(CultureInfo.InvariantCulture);
            newRs.Revision = maxOld + 1;
            step.RevisionBumped = true;
        }

        var writes = new List<StoreWrite>();
        ReplicaSet? created = null;
        if (step.Create is { } count)
        {
            created = NewReplicaSet(d, count, maxOld + 1);
            writes.Add(new StoreWrite(StoreVerb.Create, created));
        }

        writes.AddRange(copies.Values.Select(c => new StoreWrite(StoreVerb.Update, c)));
        if (writes.Count == 0)
        {
            return;
        }

        IReadOnlyList<KubeObject> written;
        try
        {
            written = await _store.CommitAsync(writes, ct).ConfigureAwait(false);
        }
        catch (StoreException e) when (e.IsAlreadyExists && created != null)
        {
            // A ReplicaSet of that name with another template: count the collision so the next hash differs.
            var copy = KubeJson.Clone(d);
            copy.Metadata.ResourceVersion = null;
            copy.Status ??= new DeploymentStatus();
            copy.Status.CollisionCount = (copy.Status.CollisionCount ?? 0) + 1;
            await _store.UpdateStatusAsync(copy, ct).ConfigureAwait(false);
            throw;
        }

        await _replicaSets.WaitForRevisionAsync(Revisions.Max(written), _controllerOptions.CacheSyncTimeout, ct).ConfigureAwait(false);
        if (created != null)
        {
            step.Created = (ReplicaSet)written[0];
            _events.Record(d, EventTypes.Normal, "ScalingReplicaSet", $"Scaled up replica set {created.Metadata.Name} to {created.Spec!.Replicas}");
        }

        foreach (var (view, replicas) in step.Scales)
        {
            var from = view.ReplicaSet.Spec?.Replicas ?? 0;
            var verb = replicas > from ? "up" : "down";
            _events.Record(d, EventTypes.Normal, "ScalingReplicaSet", $"Scaled {verb} replica set {view.Name} to {replicas} from {from}");
        }

        Log.Stepped(_logger, d.Metadata.Name!, writes.Count);
    }

    private static ReplicaSet NewReplicaSet(Deployment d, int replicas, long revision)
    {
        var hash = PodTemplateHash.Compute(d.Spec!.Template, d.Status?.CollisionCount ?? 0);
        var template = KubeJson.Clone(d.Spec.Template);
        template.Metadata ??= new ObjectMeta();
        template.Metadata.Labels = new Dictionary<string, string>(template.Metadata.Labels ?? new Dictionary<string, string>())
        {
            [DeploymentAnnotations.PodTemplateHash] = hash,
        };
        var selector = KubeJson.Clone(d.Spec.Selector!);
        selector.MatchLabels = new Dictionary<string, string>(selector.MatchLabels ?? new Dictionary<string, string>())
        {
            [DeploymentAnnotations.PodTemplateHash] = hash,
        };
        var name = d.Metadata.Name!.Length > 240 ? d.Metadata.Name[..240] : d.Metadata.Name;
        return new ReplicaSet
        {
            Metadata = new ObjectMeta
            {
                Name = name + "-" + hash,
                Namespace = d.Metadata.Namespace,
                Labels = new Dictionary<string, string>(template.Metadata.Labels),
                Annotations = new Dictionary<string, string> { [DeploymentAnnotations.Revision] = revision.ToString(CultureInfo.InvariantCulture) },
                OwnerReferences = new List<OwnerReference> { Owners.ControllerRef(d) },
            },
            Spec = new ReplicaSetSpec
            {
                Replicas = replicas,
                MinReadySeconds = d.Spec.MinReadySeconds,
                Selector = selector,
                Template = template,
            },
        };
    }

    /// <summary>Deletes the oldest fully scaled-down ReplicaSets beyond revisionHistoryLimit (default 10).</summary>
    private async Task CleanupHistoryAsync(Deployment d, ReplicaSetView? newRs, List<ReplicaSetView> old, CancellationToken ct)
    {
        var limit = d.Spec!.RevisionHistoryLimit ?? 10;
        var idle = old.Where(v => v != newRs && v.Spec == 0 && v.Actual == 0 && (v.ReplicaSet.Status?.Replicas ?? 0) == 0)
            .OrderBy(v => v.Revision).ToList();
        var excess = idle.Count - limit;
        foreach (var v in idle.Take(Math.Max(0, excess)))
        {
            try
            {
                await _store.DeleteAsync(ResourceKinds.ReplicaSet, v.ReplicaSet.Metadata.Namespace, v.Name, new DeleteOptions { Uid = v.ReplicaSet.Metadata.Uid }, ct).ConfigureAwait(false);
            }
            catch (StoreException e) when (e.IsNotFound || e.IsConflict)
            {
            }
        }
    }

    /// <summary>What one reconcile decided to change.</summary>
    private sealed class RolloutStep
    {
        public int? Create { get; set; }

        public ReplicaSet? Created { get; set; }

        public List<(ReplicaSetView View, int Replicas)> Scales { get; } = new();

        public bool RevisionBumped { get; set; }

        public bool Changed => Create != null || Scales.Count > 0 || RevisionBumped;

        public void Scale(ReplicaSetView view, int replicas, bool alreadyApplied = false)
        {
            Scales.RemoveAll(s => s.View == view);
            if (replicas != (view.ReplicaSet.Spec?.Replicas ?? 0))
            {
                Scales.Add((view, replicas));
            }

            if (!alreadyApplied)
            {
                view.Spec = replicas;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Deployment {Deployment}: wrote {Count} ReplicaSet changes")]
        public static partial void Stepped(ILogger logger, string deployment, int count);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Deployment {Deployment} rolled back to revision {Revision}: {Why}")]
        public static partial void RolledBack(ILogger logger, string deployment, long revision, string why);
    }
}
