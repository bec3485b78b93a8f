using System.Globalization;
using GitOrch.Api.Model;
using GitOrch.Api.Selectors;
using GitOrch.Api.Serialization;
using GitOrch.Engine.Controllers.Common;
using GitOrch.Engine.Controllers.Deployments;
using GitOrch.Engine.Runtime;
using GitOrch.Engine.Events;
using GitOrch.Engine.Store;
using Microsoft.Extensions.Logging;

namespace GitOrch.Engine.Controllers.StatefulSets;

/// <summary>
/// Keeps a StatefulSet's ordinals 0..replicas-1 alive with stable names and storage. OrderedReady (default) creates in
/// ordinal order, each Running and Ready before the next, and removes from the highest ordinal down, one at a time;
/// Parallel does both at once. RollingUpdate replaces Pods from the highest ordinal down to spec.updateStrategy.
/// rollingUpdate.partition, one at a time and only while all are ready; Pods below the partition stay at (and are
/// re-created at) the current revision. OnDelete replaces nothing: a Pod someone deletes comes back at the new revision.
/// The node each ordinal's volumes landed on is recorded so a re-created ordinal goes back to its data.
/// </summary>
public sealed partial class StatefulSetReconciler(IObjectStore store, SharedInformers informers, IEventRecorder events, TimeProvider time, ControllerOptions controllerOptions, ILogger<StatefulSetReconciler> logger) : IReconciler
{
    private readonly IObjectStore _store = store;
    private readonly Informer<StatefulSet> _sets = informers.Get<StatefulSet>();
    private readonly Informer<Pod> _pods = informers.Get<Pod>();
    private readonly ChildClaims<Pod> _claims = new(store, informers.Get<Pod>(), controllerOptions.CacheSyncTimeout);
    private readonly Informer<Node> _nodes = informers.Get<Node>();
    private readonly IEventRecorder _events = events;
    private readonly TimeProvider _time = time;
    private readonly ControllerOptions _controllerOptions = controllerOptions;
    private readonly ILogger<StatefulSetReconciler> _logger = logger;

    public string Name => "statefulset";

    public ResourceKind Kind => ResourceKinds.StatefulSet;

    public void Watch(ControllerWiring wiring)
    {
        wiring.For(_sets).Owns(_pods, "StatefulSet");
    }

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var set = _sets.Get(key);
        if (set == null || set.Metadata.DeletionTimestamp != null)
        {
            return ReconcileResult.Done;
        }

        if (!WorkloadSelector.TryParse(set.Spec?.Selector, out var selector, out var invalid))
        {
            return invalid;
        }

        await _claims.AdoptOrphansAsync(set, selector, p => StatefulSetPods.OrdinalOf(set, p) >= 0, cancellationToken).ConfigureAwait(false);
        var spec = set.Spec!;
        var replicas = Math.Max(0, spec.Replicas ?? 1);
        var ordered = spec.PodManagementPolicy != "Parallel";
        var updateRevision = $"{set.Metadata.Name}-{PodTemplateHash.Compute(spec.Template)}";
        var currentRevision = set.Status?.CurrentRevision ?? updateRevision;
        var stored = StoredTemplate(set);
        var storedRevision = stored == null ? null : $"{set.Metadata.Name}-{PodTemplateHash.Compute(stored)}";
        PodTemplateSpec? currentTemplate = currentRevision == updateRevision ? spec.Template : storedRevision == currentRevision ? stored : null;
        var partition = spec.UpdateStrategy?.Type == "OnDelete" ? 0 : Math.Max(0, spec.UpdateStrategy?.RollingUpdate?.Partition ?? 0);

        var pods = new SortedDictionary<int, Pod>();
        foreach (var pod in _pods.ByIndex(WellKnownIndexes.ControllerUid, set.Metadata.Uid!))
        {
            var ordinal = StatefulSetPods.OrdinalOf(set, pod);
            if (ordinal >= 0 && selector.Matches(pod.Metadata.Labels))
            {
                pods[ordinal] = pod;
            }
        }

        var volumeNodes = ReadVolumeNodes(set);
        var volumeNodesChanged = false;
        if (spec.VolumeClaimTemplates is { Count: > 0 })
        {
            foreach (var (ordinal, pod) in pods)
            {
                if (pod.Spec?.NodeName is { Length: > 0 } node && (!volumeNodes.TryGetValue(ordinal, out var known) || known != node))
                {
                    volumeNodes[ordinal] = node;
                    volumeNodesChanged = true;
                }
            }
        }

        // A node that was removed from the cluster took the volumes with it: the ordinal starts afresh wherever it fits.
        foreach (var (ordinal, node) in volumeNodes.ToList())
        {
            if (_nodes.HasSynced && _nodes.Get(null, node) == null && !pods.ContainsKey(ordinal))
            {
                volumeNodes.Remove(ordinal);
                volumeNodesChanged = true;
                _events.Record(set, EventTypes.Warning, "VolumeNodeGone", $"Node {node} holding the volumes of {StatefulSetPods.PodName(set, ordinal)} no longer exists; the Pod starts with new, empty volumes");
            }
        }

        // Bookkeeping first, so a Pod created below is already pinned by what we know now and a crash loses nothing.
        // The template of the current revision is kept on record at all times: once the spec changes, it is gone from the spec.
        var recordTemplate = currentRevision == updateRevision && storedRevision != updateRevision;
        if (volumeNodesChanged || recordTemplate)
        {
            set = await WriteAnnotationsAsync(set, volumeNodes, recordTemplate ? spec.Template : null, cancellationToken).ConfigureAwait(false);
            if (set == null)
            {
                return ReconcileResult.Done;
            }
        }

        var writes = new List<StoreWrite>();
        Step(set, pods, new StepPlan(replicas, ordered, partition, currentRevision, currentTemplate, updateRevision, volumeNodes), writes);
        if (writes.Count > 0)
        {
            var written = await _store.CommitAsync(writes, cancellationToken).ConfigureAwait(false);
            foreach (var w in writes)
            {
                _events.Record(set, EventTypes.Normal, w.Verb == StoreVerb.Create ? "SuccessfulCreate" : "SuccessfulDelete",
                    $"{(w.Verb == StoreVerb.Create ? "create" : "delete")} Pod {w.Object.Metadata.Name} in StatefulSet {set.Metadata.Name} successful");
            }

            await _pods.WaitForRevisionAsync(Revisions.Max(written), _controllerOptions.CacheSyncTimeout, cancellationToken).ConfigureAwait(false);
        }

        return await UpdateStatusAsync(set, selector, replicas, currentRevision, updateRevision, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What one pass of <see cref="Step"/> works towards: the ordinals wanted, the policy and the two revisions.</summary>
    private sealed record StepPlan(int Replicas, bool Ordered, int Partition, string CurrentRevision, PodTemplateSpec? CurrentTemplate, string UpdateRevision, Dictionary<int, string> VolumeNodes);

    /// <summary>
    /// One pass over the ordinals, as Kubernetes' StatefulSet control does it: create missing and replace failed Pods in
    /// ordinal order, then remove condemned ones (ordinal >= replicas) from the top, then roll one Pod to the new revision.
    /// In OrderedReady every stage stops at the first Pod that is not yet Running and Ready.
    /// </summary>
    private static void Step(StatefulSet set, SortedDictionary<int, Pod> pods, StepPlan plan, List<StoreWrite> writes)
    {
        var (replicas, ordered, partition, currentRevision, currentTemplate, updateRevision, volumeNodes) = plan;
        var spec = set.Spec!;
        for (var ordinal = 0; ordinal < replicas; ordinal++)
        {
            pods.TryGetValue(ordinal, out var pod);
            if (pod == null)
            {
                // Below the partition an ordinal comes back as it was; from the partition up at the new revision.
                // (If the old template was never recorded, the best left is the new one, labelled as such.)
                var atCurrent = ordinal < partition && spec.UpdateStrategy?.Type != "OnDelete" && currentTemplate != null;
                var created = StatefulSetPods.New(set, ordinal, atCurrent ? currentRevision : updateRevision, atCurrent ? currentTemplate! : spec.Template, volumeNodes.GetValueOrDefault(ordinal));
                writes.Add(new StoreWrite(StoreVerb.Create, created));
                if (ordered)
                {
                    return;
                }

                continue;
            }

            if (pod.Metadata.DeletionTimestamp == null && StatefulSetPods.IsFinished(pod))
            {
                // A failed (or exited) Pod is deleted and re-created under the same name next pass.
                writes.Add(Delete(pod));
                if (ordered)
                {
                    return;
                }

                continue;
            }

            if (ordered && !StatefulSetPods.IsRunningAndReady(pod))
            {
                return;
            }
        }

        var condemned = pods.Where(kv => kv.Key >= replicas).OrderByDescending(kv => kv.Key).Select(kv => kv.Value).ToList();
        foreach (var pod in condemned)
        {
            if (pod.Metadata.DeletionTimestamp != null)
            {
                if (ordered)
                {
                    return;
                }

                continue;
            }

            writes.Add(Delete(pod));
            if (ordered)
            {
                return;
            }
        }

        if (spec.UpdateStrategy?.Type == "OnDelete" || condemned.Count > 0)
        {
            return;
        }

        // Rolling update: only when every ordinal is up, replace the highest one not at the update revision.
        for (var ordinal = 0; ordinal < replicas; ordinal++)
        {
            if (!pods.TryGetValue(ordinal, out var p) || !StatefulSetPods.IsRunningAndReady(p))
            {
                return;
            }
        }

        for (var ordinal = replicas - 1; ordinal >= partition; ordinal--)
        {
            var pod = pods[ordinal];
            if (StatefulSetPods.RevisionOf(pod) != updateRevision)
            {
                writes.Add(Delete(pod));
                return;
            }
        }
    }

    private static StoreWrite Delete(Pod pod) => new(StoreVerb.Delete, pod, new DeleteOptions { Uid = pod.Metadata.Uid });

    private async Task<ReconcileResult> UpdateStatusAsync(StatefulSet set, Selector selector, int replicas, string currentRevision, string updateRevision, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var minReady = set.Spec?.MinReadySeconds ?? 0;
        int count = 0, ready = 0, available = 0, current = 0, updated = 0;
        var next = TimeSpan.MaxValue;
        foreach (var pod in _pods.ByIndex(WellKnownIndexes.ControllerUid, set.Metadata.Uid!))
        {
            if (StatefulSetPods.OrdinalOf(set, pod) < 0 || !selector.Matches(pod.Metadata.Labels) || pod.Metadata.DeletionTimestamp != null)
            {
                continue;
            }

            count++;
            var revision = StatefulSetPods.RevisionOf(pod);
            current += revision == currentRevision ? 1 : 0;
            updated += revision == updateRevision ? 1 : 0;
            if (StatefulSetPods.IsRunningAndReady(pod))
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

        // The rollout is complete once every Pod runs the update revision and is ready: it becomes the current one.
        var rolledOut = updated == replicas && count == replicas && ready == replicas;
        if (rolledOut && currentRevision != updateRevision)
        {
            currentRevision = updateRevision;
            current = updated;
            _events.Record(set, EventTypes.Normal, "RolloutComplete", $"StatefulSet {set.Metadata.Name} is at revision {updateRevision}");
        }

        var status = new StatefulSetStatus
        {
            ObservedGeneration = set.Metadata.Generation,
            Replicas = count,
            ReadyReplicas = ready,
            CurrentReplicas = current,
            UpdatedReplicas = updated,
            AvailableReplicas = available,
            CurrentRevision = currentRevision,
            UpdateRevision = updateRevision,
            Conditions = set.Status?.Conditions,
        };
        if (set.Status == null || !PodTemplates.SameJson(set.Status, status))
        {
            var copy = KubeJson.Clone(set);
            copy.Metadata.ResourceVersion = null;
            copy.Status = status;
            try
            {
                var written = await _store.UpdateStatusAsync(copy, ct).ConfigureAwait(false);
                await _sets.WaitForRevisionAsync(Revisions.Of(written), _controllerOptions.CacheSyncTimeout, ct).ConfigureAwait(false);
            }
            catch (StoreException e) when (e.IsNotFound)
            {
                return ReconcileResult.Done;
            }
        }

        return next == TimeSpan.MaxValue ? ReconcileResult.Done : ReconcileResult.After(next);
    }

    private static PodTemplateSpec? StoredTemplate(StatefulSet set)
    {
        var text = set.Metadata.Annotation(StatefulSetLabels.CurrentTemplate);
        if (text == null)
        {
            return null;
        }

        try
        {
            return KubeJson.Deserialize<PodTemplateSpec>(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static Dictionary<int, string> ReadVolumeNodes(StatefulSet set)
    {
        var result = new Dictionary<int, string>();
        var text = set.Metadata.Annotation(StatefulSetLabels.VolumeNodes);
        if (text == null)
        {
            return result;
        }

        try
        {
            foreach (var (k, v) in KubeJson.Deserialize<Dictionary<string, string>>(text))
            {
                if (int.TryParse(k, NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal))
                {
                    result[ordinal] = v;
                }
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return result;
    }

    private async Task<StatefulSet?> WriteAnnotationsAsync(StatefulSet set, Dictionary<int, string> volumeNodes, PodTemplateSpec? currentTemplate, CancellationToken ct)
    {
        var copy = KubeJson.Clone(set);
        var annotations = copy.Metadata.Annotations ??= new Dictionary<string, string>();
        if (volumeNodes.Count == 0)
        {
            annotations.Remove(StatefulSetLabels.VolumeNodes);
        }
        else
        {
            annotations[StatefulSetLabels.VolumeNodes] = KubeJson.Serialize(volumeNodes.OrderBy(kv => kv.Key).ToDictionary(kv => kv.Key.ToString(CultureInfo.InvariantCulture), kv => kv.Value));
        }

        if (currentTemplate != null)
        {
            annotations[StatefulSetLabels.CurrentTemplate] = KubeJson.Serialize(currentTemplate);
        }

        try
        {
            // resourceVersion kept: if the spec changed meanwhile this fails and the reconcile starts over on fresh state.
            var written = await _store.UpdateAsync(copy, ct).ConfigureAwait(false);
            await _sets.WaitForRevisionAsync(Revisions.Of(written), _controllerOptions.CacheSyncTimeout, ct).ConfigureAwait(false);
            return _sets.Get(ObjectKey.Of(set)) ?? written;
        }
        catch (StoreException e) when (e.IsNotFound)
        {
            return null;
        }
    }
}
