using GitOrch.Api.Model;
using GitOrch.Api.Selectors;
using GitOrch.Api.Serialization;
using GitOrch.Engine.Controllers.Common;
using GitOrch.Engine.Controllers.Deployments;
using GitOrch.Engine.Runtime;
using GitOrch.Engine.Events;
using GitOrch.Engine.Store;
using Microsoft.Extensions.Logging;

namespace GitOrch.Engine.Controllers.DaemonSets;

/// <summary>
/// Keeps exactly one Pod of a DaemonSet on every node it belongs on (<see cref="DaemonSetPlacement"/>), binding each
/// Pod to its node itself. A node that joins gets one; a node that leaves, stops matching, or gets an untolerated
/// NoExecute taint loses it (a NoSchedule taint only keeps new Pods off). Failed Pods are replaced. RollingUpdate
/// replaces old-revision Pods node by node, never leaving more than maxUnavailable (default 1) nodes without an
/// available daemon; OnDelete leaves them until someone deletes them.
/// </summary>
public sealed partial class DaemonSetReconciler(IObjectStore store, SharedInformers informers, IEventRecorder events, TimeProvider time, ControllerOptions controllerOptions, ILogger<DaemonSetReconciler> logger) : IReconciler
{
    private readonly IObjectStore _store = store;
    private readonly Informer<DaemonSet> _daemonSets = informers.Get<DaemonSet>();
    private readonly Informer<Pod> _pods = informers.Get<Pod>();
    private readonly ChildClaims<Pod> _claims = new(store, informers.Get<Pod>(), controllerOptions.CacheSyncTimeout);
    private readonly Informer<Node> _nodes = informers.Get<Node>();
    private readonly IEventRecorder _events = events;
    private readonly TimeProvider _time = time;
    private readonly ControllerOptions _controllerOptions = controllerOptions;
    private readonly ILogger<DaemonSetReconciler> _logger = logger;

    public string Name => "daemonset";

    public ResourceKind Kind => ResourceKinds.DaemonSet;

    public void Watch(ControllerWiring wiring)
    {
        wiring.For(_daemonSets)
            .Owns(_pods, "DaemonSet")
            .Watches(_nodes, NodeChanged);
    }

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var ds = _daemonSets.Get(key);
        if (ds == null || ds.Metadata.DeletionTimestamp != null)
        {
            return ReconcileResult.Done;
        }

        if (!WorkloadSelector.TryParse(ds.Spec?.Selector, out var selector, out var invalid))
        {
            return invalid;
        }

        await _claims.AdoptOrphansAsync(ds, selector, p => DaemonSetPods.NodeOf(p) != null, cancellationToken).ConfigureAwait(false);
        if (ds.Spec!.UpdateStrategy?.RollingUpdate?.MaxSurge is { } surge && surge.Scaled(100, roundUp: true) > 0)
        {
            _events.Record(ds, EventTypes.Warning, "FieldNotImplemented", "spec.updateStrategy.rollingUpdate.maxSurge is not implemented by GitOrch: the rollout deletes before it creates (maxUnavailable)");
        }

        var revision = PodTemplateHash.Compute(ds.Spec!.Template);
        var placement = new DaemonSetPlacement(DaemonSetPods.New(ds, revision, null));
        var nodes = _nodes.List();
        var byNode = OwnedPods(ds, selector).GroupBy(p => DaemonSetPods.NodeOf(p) ?? "").ToDictionary(g => g.Key, g => g.ToList());
        var writes = new List<StoreWrite>();
        var deleting = new HashSet<string>(StringComparer.Ordinal);
        void Delete(Pod p)
        {
            if (p.Metadata.DeletionTimestamp == null && deleting.Add(p.Metadata.Uid!))
            {
                writes.Add(new StoreWrite(StoreVerb.Delete, p, new DeleteOptions { Uid = p.Metadata.Uid }));
            }
        }

        var now = _time.GetUtcNow();
        var minReady = ds.Spec.MinReadySeconds ?? 0;
        var daemons = new List<(Node Node, Pod? Pod)>();
        foreach (var node in nodes)
        {
            var (shouldRun, shouldContinue) = placement.Evaluate(node);
            var here = byNode.GetValueOrDefault(node.Metadata.Name!) ?? new List<Pod>();
            byNode.Remove(node.Metadata.Name!);
            if (!shouldContinue)
            {
                here.ForEach(Delete);
                continue;
            }

            // Failed daemons are replaced (next pass, once the old one is gone, so a node never runs two).
            var live = here.Where(p => p.Metadata.DeletionTimestamp == null && !DaemonSetPods.IsFailed(p)).ToList();
            here.Where(DaemonSetPods.IsFailed).ToList().ForEach(Delete);

            // Duplicates (a lost race, an adopted Pod): keep the oldest.
            var keep = live.OrderBy(p => p.Metadata.CreationTimestamp).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal).FirstOrDefault();
            live.Where(p => p != keep).ToList().ForEach(Delete);

            if (shouldRun)
            {
                var terminating = here.Any(p => p.Metadata.DeletionTimestamp != null || deleting.Contains(p.Metadata.Uid!));
                if (keep == null && !terminating)
                {
                    writes.Add(new StoreWrite(StoreVerb.Create, DaemonSetPods.New(ds, revision, node.Metadata.Name)));
                }

                daemons.Add((node, keep));
            }
        }

        // Pods whose node is gone.
        foreach (var orphaned in byNode.Values.SelectMany(p => p))
        {
            Delete(orphaned);
        }

        if (ds.Spec.UpdateStrategy?.Type != "OnDelete")
        {
            RollingUpdate(ds, daemons, revision, minReady, now, Delete);
        }

        if (writes.Count > 0)
        {
            var written = await _store.CommitAsync(writes, cancellationToken).ConfigureAwait(false);
            var created = writes.Count(w => w.Verb == StoreVerb.Create);
            var deleted = writes.Count - created;
            if (created > 0)
            {
                _events.Record(ds, EventTypes.Normal, "SuccessfulCreate", created == 1 ? $"Created pod: {writes.First(w => w.Verb == StoreVerb.Create).Object.Metadata.Name}" : $"Created {created} pods");
            }

            if (deleted > 0)
            {
                _events.Record(ds, EventTypes.Normal, "SuccessfulDelete", deleted == 1 ? $"Deleted pod: {writes.First(w => w.Verb == StoreVerb.Delete).Object.Metadata.Name}" : $"Deleted {deleted} pods");
            }

            Log.Synced(_logger, ds.Metadata.Name!, created, deleted);
            await _pods.WaitForRevisionAsync(Revisions.Max(written), _controllerOptions.CacheSyncTimeout, cancellationToken).ConfigureAwait(false);
        }

        return await UpdateStatusAsync(ds, selector, placement, revision, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Replaces old-revision daemons: unavailable ones at once (nothing to lose), available ones only while fewer than
    /// maxUnavailable of the DaemonSet's nodes lack an available daemon. The deleted Pod's node gets a new one next pass.
    /// </summary>
    private static void RollingUpdate(DaemonSet ds, List<(Node Node, Pod? Pod)> daemons, string revision, int minReady, DateTimeOffset now, Action<Pod> delete)
    {
        var maxUnavailable = (ds.Spec!.UpdateStrategy?.RollingUpdate?.MaxUnavailable ?? new IntOrString(1)).Scaled(daemons.Count, roundUp: true);
        if (maxUnavailable < 1)
        {
            // maxSurge is not implemented: with neither, a rollout could never start. Kubernetes rejects 0 for both.
            maxUnavailable = 1;
        }

        var unavailable = daemons.Count(d => d.Pod == null || !PodState.IsAvailable(d.Pod, minReady, now));
        foreach (var (_, pod) in daemons.OrderBy(d => d.Node.Metadata.Name, StringComparer.Ordinal))
        {
            if (pod == null || DaemonSetPods.RevisionOf(pod) == revision)
            {
                continue;
            }

            if (!PodState.IsAvailable(pod, minReady, now))
            {
                delete(pod);
            }
            else if (unavailable < maxUnavailable)
            {
                delete(pod);
                unavailable++;
            }
        }
    }

    private IEnumerable<Pod> OwnedPods(DaemonSet ds, Selector selector)
        => _pods.ByIndex(WellKnownIndexes.ControllerUid, ds.Metadata.Uid!).Where(p => selector.Matches(p.Metadata.Labels));

    private async Task<ReconcileResult> UpdateStatusAsync(DaemonSet ds, Selector selector, DaemonSetPlacement placement, string revision, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var minReady = ds.Spec!.MinReadySeconds ?? 0;
        var byNode = OwnedPods(ds, selector).Where(p => p.Metadata.DeletionTimestamp == null)
            .GroupBy(p => DaemonSetPods.NodeOf(p) ?? "").ToDictionary(g => g.Key, g => g.ToList());
        int desired = 0, current = 0, misscheduled = 0, ready = 0, updated = 0, available = 0;
        var next = TimeSpan.MaxValue;
        foreach (var node in _nodes.List())
        {
            var (shouldRun, _) = placement.Evaluate(node);
            var here = byNode.GetValueOrDefault(node.Metadata.Name!);
            if (!shouldRun)
            {
                misscheduled += here is { Count: > 0 } ? 1 : 0;
                continue;
            }

            desired++;
            if (here is not { Count: > 0 })
            {
                continue;
            }

            current++;
            var pod = here.OrderBy(p => p.Metadata.CreationTimestamp).First();
            updated += DaemonSetPods.RevisionOf(pod) == revision ? 1 : 0;
            if (PodState.IsReady(pod))
            {
                ready++;
                if (PodState.IsAvailable(pod, minReady, now, out var wait))
                {
                    available++;
                }
                else if (wait < next)
                {
                    next = wait;
                }
            }
        }

        var status = new DaemonSetStatus
        {
            DesiredNumberScheduled = desired,
            CurrentNumberScheduled = current,
            NumberMisscheduled = misscheduled,
            NumberReady = ready,
            UpdatedNumberScheduled = updated,
            NumberAvailable = available,
            NumberUnavailable = desired - available,
            ObservedGeneration = ds.Metadata.Generation,
            Conditions = ds.Status?.Conditions,
        };
        if (ds.Status == null || !PodTemplates.SameJson(ds.Status, status))
        {
            var copy = KubeJson.Clone(ds);
            copy.Metadata.ResourceVersion = null;
            copy.Status = status;
            try
            {
                var written = await _store.UpdateStatusAsync(copy, ct).ConfigureAwait(false);
                await _daemonSets.WaitForRevisionAsync(Revisions.Of(written), _controllerOptions.CacheSyncTimeout, ct).ConfigureAwait(false);
            }
            catch (StoreException e) when (e.IsNotFound)
            {
                return ReconcileResult.Done;
            }
        }

        return next == TimeSpan.MaxValue ? ReconcileResult.Done : ReconcileResult.After(next);
    }

    /// <summary>
    /// A node joining, leaving, or changing labels, taints or cordon wakes every DaemonSet; heartbeats (status only) wake
    /// none, or 500 nodes beating every 10 s would keep every DaemonSet reconciling.
    /// </summary>
    private IEnumerable<ObjectKey> NodeChanged(InformerEvent<Node> e)
    {
        if (e.Old != null && e.New != null && PlacementSignature(e.Old) == PlacementSignature(e.New))
        {
            return Array.Empty<ObjectKey>();
        }

        return _daemonSets.List().Select(ObjectKey.Of).ToList();
    }

    private static string PlacementSignature(Node node)
    {
        var labels = node.Metadata.Labels == null ? "" : string.Join(",", node.Metadata.Labels.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value));
        var taints = node.Spec?.Taints == null ? "" : string.Join(",", node.Spec.Taints.Select(t => t.Key + "=" + t.Value + ":" + t.Effect));
        return labels + "|" + taints + "|" + node.Spec?.Unschedulable;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2501, Level = LogLevel.Debug, Message = "DaemonSet {DaemonSet} created {Created} and deleted {Deleted} pods")]
        public static partial void Synced(ILogger logger, string daemonSet, int created, int deleted);
    }
}
