using System.Text.Json;
using GitOrch.Api.Model;
using GitOrch.Api.Selectors;
using GitOrch.Api.Serialization;
using GitOrch.Engine.Controllers.Common;
using GitOrch.Engine.Runtime;
using GitOrch.Engine.Events;
using GitOrch.Engine.Store;
using Microsoft.Extensions.Logging;

namespace GitOrch.Engine.Controllers.ReplicaSets;

/// <summary>
/// Keeps spec.replicas Pods of a ReplicaSet alive: adopts orphans its selector matches, releases Pods that stopped
/// matching, creates missing Pods in batches (one store transaction each), deletes surplus ones cheapest first
/// (unscheduled, then not ready, then newest), and reports replicas/ready/available in status.
/// </summary>
public sealed partial class ReplicaSetReconciler(IObjectStore store, SharedInformers informers, IEventRecorder events, TimeProvider time, ReplicaSetOptions options, ControllerOptions controllerOptions, ILogger<ReplicaSetReconciler> logger) : IReconciler
{
    private readonly IObjectStore _store = store;
    private readonly Informer<ReplicaSet> _replicaSets = informers.Get<ReplicaSet>();
    private readonly Informer<Pod> _pods = informers.Get<Pod>();
    private readonly ChildClaims<Pod> _claims = new(store, informers.Get<Pod>(), controllerOptions.CacheSyncTimeout);
    private readonly IEventRecorder _events = events;
    private readonly TimeProvider _time = time;
    private readonly ReplicaSetOptions _options = options;
    private readonly ControllerOptions _controllerOptions = controllerOptions;
    private readonly ILogger<ReplicaSetReconciler> _logger = logger;

    public string Name => "replicaset";

    public ResourceKind Kind => ResourceKinds.ReplicaSet;

    public void Watch(ControllerWiring wiring)
    {
        wiring.For(_replicaSets)
            .Owns(_pods, "ReplicaSet")
            .Watches(_pods, e => ChildClaims.Claimants(e, _replicaSets, o => o.Spec?.Selector));
    }

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var rs = _replicaSets.Get(key);
        if (rs == null || rs.Metadata.DeletionTimestamp != null)
        {
            // Gone or going: its Pods are the garbage collector's business now.
            return ReconcileResult.Done;
        }

        if (!WorkloadSelector.TryParse(rs.Spec?.Selector, out var selector, out var invalid))
        {
            return invalid;
        }

        var uid = rs.Metadata.Uid!;
        var active = await ClaimPodsAsync(rs, selector, cancellationToken).ConfigureAwait(false);
        var want = rs.Spec?.Replicas ?? 1;
        var diff = want - active.Count;
        if (diff > 0)
        {
            await CreatePodsAsync(rs, diff, cancellationToken).ConfigureAwait(false);
        }
        else if (diff < 0)
        {
            await DeletePodsAsync(rs, active, -diff, cancellationToken).ConfigureAwait(false);
        }

        return await UpdateStatusAsync(rs, selector, uid, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Owned active Pods that still match, plus adopted orphans; Pods that stopped matching are released.</summary>
    private async Task<List<Pod>> ClaimPodsAsync(ReplicaSet rs, Selector selector, CancellationToken ct)
    {
        var claim = await _claims.ClaimAsync(rs, selector, ct).ConfigureAwait(false);
        if (claim.Changed > 0)
        {
            Log.Claimed(_logger, rs.Metadata.Name!, claim.Changed);
        }

        return claim.Owned.Where(PodState.IsActive).ToList();
    }

    /// <summary>
    /// Creates Pods in batches of <see cref="ReplicaSetOptions.BatchSize"/>, several batches in flight at once so the
    /// store folds them into few transactions, then waits once for the cache to hold them all (so the next reconcile
    /// of this ReplicaSet cannot count them missing and create duplicates).
    /// </summary>
    private async Task CreatePodsAsync(ReplicaSet rs, int count, CancellationToken ct)
    {
        var template = JsonSerializer.SerializeToUtf8Bytes(rs.Spec!.Template, KubeJson.Options);
        var controllerRef = Owners.ControllerRef(rs);
        var prefix = rs.Metadata.Name!.Length > 57 ? rs.Metadata.Name[..57] + "-" : rs.Metadata.Name + "-";
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var batches = new List<List<StoreWrite>>();
        for (var created = 0; created < count; created += _options.BatchSize)
        {
            var n = Math.Min(_options.BatchSize, count - created);
            var writes = new List<StoreWrite>(n);
            for (var i = 0; i < n; i++)
            {
                string name;
                do
                {
                    name = NameGenerator.Generate(prefix);
                }
                while (!taken.Add(name) || _pods.Get(rs.Metadata.Namespace, name) != null);

                writes.Add(new StoreWrite(StoreVerb.Create, NewPod(rs, name, template, controllerRef)));
            }

            batches.Add(writes);
        }

        long maxRevision = 0;
        Exception? failure = null;
        foreach (var wave in batches.Chunk(Math.Max(1, _options.ConcurrentBatches)))
        {
            var results = await Task.WhenAll(wave.Select(async w =>
            {
                try
                {
                    return (Written: await _store.CommitAsync(w, ct).ConfigureAwait(false), Error: (Exception?)null);
                }
                catch (StoreException e)
                {
                    return (Written: (IReadOnlyList<KubeObject>?)null, Error: (Exception?)e);
                }
            })).ConfigureAwait(false);
            foreach (var r in results)
            {
                if (r.Written != null)
                {
                    maxRevision = Math.Max(maxRevision, Revisions.Max(r.Written));
                    var first = r.Written[0].Metadata.Name;
                    _events.Record(rs, EventTypes.Normal, "SuccessfulCreate", r.Written.Count == 1 ? $"Created pod: {first}" : $"Created {r.Written.Count} pods");
                }
                else
                {
                    failure ??= r.Error;
                }
            }

            if (failure != null)
            {
                break;
            }
        }

        await _pods.WaitForRevisionAsync(maxRevision, _controllerOptions.CacheSyncTimeout, ct).ConfigureAwait(false);
        if (failure != null)
        {
            throw failure;
        }

        Log.Created(_logger, rs.Metadata.Name!, count);
    }

    private static Pod NewPod(ReplicaSet rs, string name, byte[] template, OwnerReference controllerRef)
    {
        var t = JsonSerializer.Deserialize<PodTemplateSpec>(template, KubeJson.Options)!;
        return new Pod
        {
            Metadata = new ObjectMeta
            {
                Name = name,
                Namespace = rs.Metadata.Namespace,
                Labels = t.Metadata?.Labels,
                Annotations = t.Metadata?.Annotations,
                OwnerReferences = new List<OwnerReference> { controllerRef },
            },
            Spec = t.Spec ?? new PodSpec(),
        };
    }

    private async Task DeletePodsAsync(ReplicaSet rs, List<Pod> active, int count, CancellationToken ct)
    {
        var victims = active.OrderBy(p => p, DeletionOrder.Instance).Take(count).ToList();
        for (var i = 0; i < victims.Count; i += _options.BatchSize)
        {
            var batch = victims.Skip(i).Take(_options.BatchSize)
                .Select(p => new StoreWrite(StoreVerb.Delete, p, new DeleteOptions { Uid = p.Metadata.Uid }))
                .ToList();
            var written = await _store.CommitAsync(batch, ct).ConfigureAwait(false);
            _events.Record(rs, EventTypes.Normal, "SuccessfulDelete", batch.Count == 1 ? $"Deleted pod: {batch[0].Object.Metadata.Name}" : $"Deleted {batch.Count} pods");
            await _pods.WaitForRevisionAsync(Revisions.Max(written), _controllerOptions.CacheSyncTimeout, ct).ConfigureAwait(false);
        }

        Log.Deleted(_logger, rs.Metadata.Name!, victims.Count);
    }

    private async Task<ReconcileResult> UpdateStatusAsync(ReplicaSet rs, Selector selector, string uid, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var minReady = rs.Spec?.MinReadySeconds ?? 0;
        int replicas = 0, ready = 0, available = 0, labeled = 0;
        var next = TimeSpan.MaxValue;
        var templateLabels = rs.Spec?.Template.Metadata?.Labels;
        var templateSelector = templateLabels == null ? null : Selector.FromLabels(templateLabels);
        foreach (var pod in _pods.ByIndex(WellKnownIndexes.ControllerUid, uid))
        {
            if (!PodState.IsActive(pod) || !selector.Matches(pod.Metadata.Labels))
            {
                continue;
            }

            replicas++;
            if (templateSelector == null || templateSelector.Matches(pod.Metadata.Labels))
            {
                labeled++;
            }

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

        var status = rs.Status ?? new ReplicaSetStatus();
        if (status.Replicas != replicas || status.ReadyReplicas != ready || status.AvailableReplicas != available
            || status.FullyLabeledReplicas != labeled || status.ObservedGeneration != rs.Metadata.Generation)
        {
            var copy = KubeJson.Clone(rs);
            copy.Metadata.ResourceVersion = null;
            copy.Status = new ReplicaSetStatus
            {
                Replicas = replicas,
                FullyLabeledReplicas = labeled,
                ReadyReplicas = ready,
                AvailableReplicas = available,
                ObservedGeneration = rs.Metadata.Generation,
                Conditions = status.Conditions,
            };
            try
            {
                var written = await _store.UpdateStatusAsync(copy, ct).ConfigureAwait(false);
                await _replicaSets.WaitForRevisionAsync(Revisions.Of(written), _controllerOptions.CacheSyncTimeout, ct).ConfigureAwait(false);
            }
            catch (StoreException e) when (e.IsNotFound)
            {
                return ReconcileResult.Done;
            }
        }

        // A Pod that is ready but not yet for minReadySeconds becomes available by the clock alone: look again then.
        return next == TimeSpan.MaxValue ? ReconcileResult.Done : ReconcileResult.After(next);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "ReplicaSet {ReplicaSet} adopted or released {Count} pods")]
        public static partial void Claimed(ILogger logger, string replicaSet, int count);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Debug, Message = "ReplicaSet {ReplicaSet} created {Count} pods")]
        public static partial void Created(ILogger logger, string replicaSet, int count);

        [LoggerMessage(EventId = 2003, Level = LogLevel.Debug, Message = "ReplicaSet {ReplicaSet} deleted {Count} pods")]
        public static partial void Deleted(ILogger logger, string replicaSet, int count);
    }
}
