using GitOrch.Api.Model;

namespace GitOrch.Engine.Controllers.Autoscaling;

/// <summary>
/// The Pods of a target sorted the way upstream's <c>groupPods</c> does: deleted or failed Pods are ignored; Pending
/// Pods, and for cpu Pods that are not ready or whose sample predates their readiness, are unready; Pods without a
/// sample are missing; the rest are ready.
/// </summary>
internal sealed record PodGroups(int ReadyCount, HashSet<string> Unready, HashSet<string> Missing, HashSet<string> Ignored)
{
    public static PodGroups Of(IReadOnlyList<Pod> pods, IReadOnlyDictionary<string, PodMetric> metrics, string resource, DateTimeOffset now, ReplicaCalculatorOptions options)
    {
        var ready = 0;
        var unready = new HashSet<string>(StringComparer.Ordinal);
        var missing = new HashSet<string>(StringComparer.Ordinal);
        var ignored = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            var phase = pod.Status?.Phase;
            if (pod.Metadata.DeletionTimestamp != null || phase == PodPhases.Failed)
            {
                ignored.Add(pod.Name);
                continue;
            }

            if (phase == PodPhases.Pending)
            {
                unready.Add(pod.Name);
                continue;
            }

            if (!metrics.TryGetValue(pod.Name, out var metric))
            {
                missing.Add(pod.Name);
                continue;
            }

            if (resource == "cpu" && IsUnreadyForCpu(pod, metric, now, options))
            {
                unready.Add(pod.Name);
                continue;
            }

            ready++;
        }

        return new PodGroups(ready, unready, missing, ignored);
    }

    // Upstream: a young Pod's sample counts only once it was taken a full window after the Pod turned ready (its
    // start-up burn is not load); an older Pod counts unless it became unready soon after start and stays so.
    private static bool IsUnreadyForCpu(Pod pod, PodMetric metric, DateTimeOffset now, ReplicaCalculatorOptions options)
    {
        var condition = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Ready);
        var start = pod.Status?.StartTime;
        if (condition == null || start == null)
        {
            return true;
        }

        var transition = condition.LastTransitionTime ?? DateTimeOffset.MinValue;
        if (start.Value + options.CpuInitializationPeriod > now)
        {
            return condition.Status == ConditionStatus.False || metric.Timestamp < transition + metric.Window;
        }

        return condition.Status == ConditionStatus.False && start.Value + options.InitialReadinessDelay > transition;
    }
}
