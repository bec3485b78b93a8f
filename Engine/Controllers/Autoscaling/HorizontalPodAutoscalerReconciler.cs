using System.Collections.Concurrent;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;
using GitOrch.Engine.Controllers.Common;
using GitOrch.Engine.Events;
using GitOrch.Engine.Http;
using GitOrch.Engine.Metrics;
using GitOrch.Engine.Runtime;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Controllers.Autoscaling;

/// <summary>
/// The HorizontalPodAutoscaler controller, after upstream's <c>reconcileAutoscaler</c>: read the target's scale,
/// compute a count per metric (<see cref="ReplicaCalculator"/>) from the Engine's usage cache, take the largest,
/// stabilize and rate-limit it (<see cref="ReplicaNormalizer"/>), write it through the scale subresource's code path
/// (<see cref="ScaleHandler.ScaleAsync"/>), and report status, conditions and events in upstream's words. Each HPA is
/// looked at again every <see cref="AutoscalingOptions.SyncPeriod"/>; a broken HPA is reported, never retried hot.
/// </summary>
public sealed partial class HorizontalPodAutoscalerReconciler(IObjectStore store, SharedInformers informers, UsageCache usage, IEventRecorder events, TimeProvider time, AutoscalingOptions options) : IReconciler
{
    private const string Component = "horizontal-pod-autoscaler";

    private readonly Informer<HorizontalPodAutoscaler> _hpas = informers.Get<HorizontalPodAutoscaler>();
    private readonly Informer<Pod> _pods = informers.Get<Pod>();
    private readonly ReplicaCalculator _calculator = new(options.Calculator);
    private readonly ConcurrentDictionary<ObjectKey, ScalingHistory> _histories = new();

    public string Name => "horizontalpodautoscaler";

    public ResourceKind Kind => ResourceKinds.HorizontalPodAutoscaler;

    public void Watch(ControllerWiring wiring)
    {
        wiring.For(_hpas, WatchPredicates.GenerationOrAnnotationChanged<HorizontalPodAutoscaler>()).Uses(_pods);
        foreach (var kind in new[] { ResourceKinds.Deployment, ResourceKinds.StatefulSet, ResourceKinds.ReplicaSet })
        {
            wiring.Uses(informers.Get(kind));
        }
    }

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var hpa = _hpas.Get(key);
        if (hpa == null || hpa.Metadata.DeletionTimestamp != null)
        {
            _histories.TryRemove(key, out _);
            return ReconcileResult.Done;
        }

        var now = time.GetUtcNow();
        var spec = hpa.Spec ?? new HorizontalPodAutoscalerSpec();
        var status = hpa.Status == null ? new HorizontalPodAutoscalerStatus() : KubeJson.Clone(hpa.Status);
        status.Conditions ??= new List<Condition>();
        status.ObservedGeneration = hpa.Metadata.Generation;
        var workload = LoadTarget(hpa, spec.ScaleTargetRef, out var error);
        if (workload == null)
        {
            events.Record(hpa, EventTypes.Warning, "FailedGetScale", error!, Component);
            SetCondition(status, AutoscalingWords.AbleToScale, false, "FailedGetScale", $"the HPA controller was unable to get the target's current scale: {error}", hpa, now);
            SetCondition(status, AutoscalingWords.ScalingActive, false, "FailedGetScale", $"the HPA controller was unable to get the target's current scale: {error}", hpa, now);
            await WriteStatusAsync(hpa, status, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Terminal(error!, options.SyncPeriod);
        }

        SetCondition(status, AutoscalingWords.AbleToScale, true, "SucceededGetScale", "the HPA controller was able to get the target's current scale", hpa, now);
        var scale = ScaleHandler.ToScale(workload);
        var current = scale.Spec?.Replicas ?? 0;
        var history = _histories.GetOrAdd(key, _ => new ScalingHistory());
        if (history.Recommendations.Count == 0)
        {
            history.Recommendations.Add((current, now));
        }

        var decision = Decide(hpa, spec, scale, history, status, now);
        if (decision == null)
        {
            status.CurrentReplicas = current;
            await WriteStatusAsync(hpa, status, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.After(options.SyncPeriod);
        }

        return await ApplyAsync(hpa, workload, status, decision, history, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What this pass wants: the count, why, and the metric readings for status. Null when metrics failed (already reported).</summary>
    private sealed record Decision(int Current, int Desired, bool Rescale, string Reason, List<MetricStatus>? Metrics, ScalingRules Up, ScalingRules Down);

    private Decision? Decide(HorizontalPodAutoscaler hpa, HorizontalPodAutoscalerSpec spec, Scale scale, ScalingHistory history, HorizontalPodAutoscalerStatus status, DateTimeOffset now)
    {
        var current = scale.Spec?.Replicas ?? 0;
        var min = spec.MinReplicas ?? 1;
        var up = ScalingRules.ScaleUpFrom(spec.Behavior?.ScaleUp);
        var down = ScalingRules.ScaleDownFrom(spec.Behavior?.ScaleDown, options.DownscaleStabilization);
        if (current == 0 && min != 0)
        {
            SetCondition(status, AutoscalingWords.ScalingActive, false, "ScalingDisabled", "scaling is disabled since the replica count of the target is zero", hpa, now);
            return new Decision(current, 0, false, "", status.CurrentMetrics, up, down);
        }

        if (current > spec.MaxReplicas)
        {
            return new Decision(current, spec.MaxReplicas, true, "Current number of replicas above Spec.MaxReplicas", status.CurrentMetrics, up, down);
        }

        if (current < min)
        {
            return new Decision(current, min, true, "Current number of replicas below Spec.MinReplicas", status.CurrentMetrics, up, down);
        }

        var proposal = ComputeReplicasForMetrics(hpa, scale, status, now);
        if (proposal == null)
        {
            return null;
        }

        var n = ReplicaNormalizer.Normalize(history, new NormalizationArgs(up, down, min, spec.MaxReplicas, current, proposal.Replicas), now);
        SetCondition(status, AutoscalingWords.AbleToScale, true, n.AbleToScaleReason, n.AbleToScaleMessage, hpa, now);
        SetCondition(status, AutoscalingWords.ScalingLimited, n.Limited, n.LimitedReason, n.LimitedMessage, hpa, now);
        var reason = n.Replicas > current ? $"{proposal.MetricName} above target" : "All metrics below target";
        return new Decision(current, n.Replicas, n.Replicas != current, reason, proposal.Statuses, up, down);
    }

    private async Task<ReconcileResult> ApplyAsync(HorizontalPodAutoscaler hpa, KubeObject workload, HorizontalPodAutoscalerStatus status, Decision decision, ScalingHistory history, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (decision.Rescale)
        {
            try
            {
                await ScaleHandler.ScaleAsync(store, KubeJson.Clone(workload), decision.Desired, null, false, ct).ConfigureAwait(false);
            }
            catch (StoreException e)
            {
                events.Record(hpa, EventTypes.Warning, "FailedRescale", $"New size: {decision.Desired}; reason: {decision.Reason}; error: {e.Message}", Component);
                SetCondition(status, AutoscalingWords.AbleToScale, false, "FailedUpdateScale", $"the HPA controller was unable to update the target scale: {e.Message}", hpa, now);
                status.CurrentReplicas = decision.Current;
                await WriteStatusAsync(hpa, status, ct).ConfigureAwait(false);
                return ReconcileResult.Error(e.Message, options.SyncPeriod, e);
            }

            SetCondition(status, AutoscalingWords.AbleToScale, true, "SucceededRescale", $"the HPA controller was able to update the target scale to {decision.Desired}", hpa, now);
            events.Record(hpa, EventTypes.Normal, "SuccessfulRescale", $"New size: {decision.Desired}; reason: {decision.Reason}", Component);
            history.RecordScale(decision.Current, decision.Desired, decision.Up, decision.Down, now);
            status.LastScaleTime = now;
        }

        status.CurrentReplicas = decision.Current;
        status.DesiredReplicas = decision.Rescale ? decision.Desired : decision.Current;
        status.CurrentMetrics = decision.Metrics;
        await WriteStatusAsync(hpa, status, ct).ConfigureAwait(false);
        return ReconcileResult.After(options.SyncPeriod);
    }

    private KubeObject? LoadTarget(HorizontalPodAutoscaler hpa, CrossVersionObjectReference target, out string? error)
    {
        var kind = ScaleTarget.KindOf(target, out error);
        if (kind == null)
        {
            return null;
        }

        var workload = informers.Get(kind).GetObject(hpa.Namespace, target.Name);
        if (workload == null)
        {
            error = $"{kind.Plural}.{kind.Group} \"{target.Name}\" not found";
        }

        return workload;
    }

    private static void SetCondition(HorizontalPodAutoscalerStatus status, string type, bool value, string reason, string message, HorizontalPodAutoscaler hpa, DateTimeOffset now)
        => Conditions.Set(status.Conditions!, new Condition
        {
            Type = type,
            Status = value ? ConditionStatus.True : ConditionStatus.False,
            Reason = reason,
            Message = message,
        }, now);

    private async Task WriteStatusAsync(HorizontalPodAutoscaler hpa, HorizontalPodAutoscalerStatus status, CancellationToken ct)
    {
        if (hpa.Status != null && PodTemplates.SameJson(hpa.Status, status))
        {
            return;
        }

        var copy = KubeJson.Clone(hpa);
        copy.Metadata.ResourceVersion = null;
        copy.Status = status;
        try
        {
            await store.UpdateStatusAsync(copy, ct).ConfigureAwait(false);
        }
        catch (StoreException e) when (e.IsNotFound)
        {
            // Deleted meanwhile: nothing to report on.
        }
    }
}
