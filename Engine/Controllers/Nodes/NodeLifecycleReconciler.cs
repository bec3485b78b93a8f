using GitOrch.Api.Model;
using GitOrch.Api.Serialization;
using GitOrch.Engine.Controllers.Common;
using GitOrch.Engine.Runtime;
using GitOrch.Engine.Events;
using GitOrch.Engine.Scheduling;
using GitOrch.Engine.Store;
using Microsoft.Extensions.Logging;

namespace GitOrch.Engine.Controllers.Nodes;

/// <summary>
/// Watches node heartbeats (the Ready condition's lastHeartbeatTime, renewed by the agent). A node silent for longer
/// than the grace period gets Ready=Unknown and the <c>node.kubernetes.io/unreachable:NoExecute</c> taint; a node that
/// reports Ready=False gets <c>node.kubernetes.io/not-ready:NoExecute</c>. Pods on a NoExecute-tainted node are deleted
/// (Event Evicted) once their toleration runs out — the eviction delay when they have none — so their owners recreate
/// them on other nodes. A fresh heartbeat with Ready=True removes the taints. Cordoning (spec.unschedulable) only keeps
/// new Pods away (the scheduler's business); it evicts nothing.
/// </summary>
public sealed partial class NodeLifecycleReconciler(IObjectStore store, SharedInformers informers, IEventRecorder events, TimeProvider time, NodeLifecycleOptions options, ILogger<NodeLifecycleReconciler> logger) : IReconciler
{
    public const string UnreachableTaint = WellKnownTaints.Unreachable;
    public const string NotReadyTaint = WellKnownTaints.NotReady;

    private readonly IObjectStore _store = store;
    private readonly Informer<Node> _nodes = informers.Get<Node>();
    private readonly Informer<Pod> _pods = informers.Get<Pod>();
    private readonly IEventRecorder _events = events;
    private readonly TimeProvider _time = time;
    private readonly NodeLifecycleOptions _options = options;
    private readonly ILogger<NodeLifecycleReconciler> _logger = logger;

    public string Name => "node-lifecycle";

    public ResourceKind Kind => ResourceKinds.Node;

    public void Watch(ControllerWiring wiring)
    {
        wiring.For(_nodes).Watches(_pods, PodOnTaintedNode);
    }

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var node = _nodes.Get(key);
        if (node == null)
        {
            return ReconcileResult.Done;
        }

        var now = _time.GetUtcNow();
        var ready = Conditions.Find(node.Status?.Conditions, ConditionTypes.Ready);
        var heartbeat = ready?.LastHeartbeatTime ?? node.Metadata.CreationTimestamp ?? now;
        var silentFor = now - heartbeat;
        var result = ReconcileResult.Done;
        string? wantTaint;
        if (silentFor >= _options.HeartbeatGracePeriod)
        {
            wantTaint = UnreachableTaint;
            if (ready?.Status != ConditionStatus.Unknown)
            {
                node = await MarkUnknownAsync(node, now, cancellationToken).ConfigureAwait(false);
                _events.Record(node, EventTypes.Normal, "NodeNotReady", $"Node {node.Metadata.Name} status is now: NodeNotReady (no heartbeat for {silentFor.TotalSeconds:0}s)", "gitorch-node-controller");
                Log.NodeUnreachable(_logger, node.Metadata.Name!, (int)silentFor.TotalSeconds);
            }
        }
        else
        {
            // Fresh now; it goes stale by the clock alone, so look again when the grace period would run out.
            result = ReconcileResult.After(heartbeat + _options.HeartbeatGracePeriod - now);
            wantTaint = ready?.Status == ConditionStatus.True ? null : NotReadyTaint;
        }

        node = await SetTaintsAsync(node, wantTaint, now, cancellationToken).ConfigureAwait(false);
        return result.Min(await EvictAsync(node, now, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Returns the node as written, so the taint update that follows does not conflict with this write.</summary>
    private async Task<Node> MarkUnknownAsync(Node node, DateTimeOffset now, CancellationToken ct)
    {
        var copy = KubeJson.Clone(node);
        copy.Metadata.ResourceVersion = null;
        copy.Status ??= new NodeStatus();
        var conditions = copy.Status.Conditions ??= new List<Condition>();
        var heartbeat = Conditions.Find(conditions, ConditionTypes.Ready)?.LastHeartbeatTime;
        Conditions.Set(conditions, new Condition { Type = ConditionTypes.Ready, Status = ConditionStatus.Unknown, Reason = "NodeStatusUnknown", Message = "Kubelet stopped posting node status." }, now);
        Conditions.Find(conditions, ConditionTypes.Ready)!.LastHeartbeatTime = heartbeat;
        try
        {
            return await _store.UpdateStatusAsync(copy, ct).ConfigureAwait(false);
        }
        catch (StoreException e) when (e.IsNotFound)
        {
            return node;
        }
    }

    /// <summary>Keeps exactly the wanted one of our two NoExecute taints (or none), leaving other taints alone.</summary>
    private async Task<Node> SetTaintsAsync(Node node, string? want, DateTimeOffset now, CancellationToken ct)
    {
        var taints = node.Spec?.Taints ?? new List<Taint>();
        var ours = taints.Where(t => t.Effect == WellKnownTaints.NoExecute && t.Key is UnreachableTaint or NotReadyTaint).ToList();
        if ((want == null && ours.Count == 0) || (want != null && ours.Count == 1 && ours[0].Key == want))
        {
            return node;
        }

        var copy = KubeJson.Clone(node);
        copy.Spec ??= new NodeSpec();
        var list = copy.Spec.Taints ?? new List<Taint>();
        list.RemoveAll(t => t.Effect == WellKnownTaints.NoExecute && t.Key is UnreachableTaint or NotReadyTaint);
        if (want != null)
        {
            list.Add(new Taint { Key = want, Effect = WellKnownTaints.NoExecute, TimeAdded = now });
        }

        copy.Spec.Taints = list.Count == 0 ? null : list;
        return await _store.UpdateAsync(copy, ct).ConfigureAwait(false);
    }

    private async Task<ReconcileResult> EvictAsync(Node node, DateTimeOffset now, CancellationToken ct)
    {
        var noExecute = node.Spec?.Taints?.Where(t => t.Effect == WellKnownTaints.NoExecute).ToList();
        if (noExecute == null || noExecute.Count == 0)
        {
            return ReconcileResult.Done;
        }

        var result = ReconcileResult.Done;
        foreach (var pod in _pods.ByIndex(WellKnownIndexes.PodsByNode, node.Metadata.Name!))
        {
            if (pod.Metadata.DeletionTimestamp != null || PodPhases.IsTerminal(pod.Status?.Phase))
            {
                continue;
            }

            DateTimeOffset? evictAt = null;
            Taint? cause = null;
            foreach (var taint in noExecute)
            {
                var at = EvictionTime(pod, taint, now);
                if (at != null && (evictAt == null || at < evictAt))
                {
                    evictAt = at;
                    cause = taint;
                }
            }

            if (evictAt == null)
            {
                continue;
            }

            if (evictAt > now)
            {
                result = result.Min(ReconcileResult.After(evictAt.Value - now));
                continue;
            }

            try
            {
                await _store.DeleteAsync(ResourceKinds.Pod, pod.Metadata.Namespace, pod.Metadata.Name!, new DeleteOptions { Uid = pod.Metadata.Uid }, ct).ConfigureAwait(false);
                _events.Record(pod, EventTypes.Warning, "Evicted", $"Deleting pod {pod.Metadata.Name}: node {node.Metadata.Name} has taint {{{cause!.Key}: {cause.Value}}}:NoExecute", "gitorch-node-controller");
                Log.Evicted(_logger, pod.Metadata.Namespace, pod.Metadata.Name!, node.Metadata.Name!, cause.Key);
            }
            catch (StoreException e) when (e.IsNotFound || e.IsConflict)
            {
            }
        }

        return result;
    }

    /// <summary>When a Pod must leave because of a NoExecute taint: null never (tolerated forever).</summary>
    private DateTimeOffset? EvictionTime(Pod pod, Taint taint, DateTimeOffset now)
    {
        var added = taint.TimeAdded ?? now;
        var toleration = Tolerations.Find(pod, taint);
        if (toleration != null)
        {
            return toleration.TolerationSeconds is { } s ? added + TimeSpan.FromSeconds(Math.Max(0, s)) : null;
        }

        // Our own condition taints give Pods the eviction delay; any other NoExecute taint evicts at once, as in Kubernetes.
        return taint.Key is UnreachableTaint or NotReadyTaint ? added + _options.EvictionDelay : added;
    }

    private IEnumerable<ObjectKey> PodOnTaintedNode(InformerEvent<Pod> e)
    {
        var nodeName = e.New?.Spec?.NodeName;
        if (string.IsNullOrEmpty(nodeName) || e.Old?.Spec?.NodeName == nodeName)
        {
            yield break;
        }

        var node = _nodes.Get(null, nodeName);
        if (node?.Spec?.Taints?.Any(t => t.Effect == WellKnownTaints.NoExecute) == true)
        {
            yield return new ObjectKey(null, nodeName);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Node {Node} is unreachable: no heartbeat for {Seconds}s")]
        public static partial void NodeUnreachable(ILogger logger, string node, int seconds);

        [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Evicted pod {Namespace}/{Pod} from node {Node} ({Taint})")]
        public static partial void Evicted(ILogger logger, string? @namespace, string pod, string node, string taint);
    }
}
