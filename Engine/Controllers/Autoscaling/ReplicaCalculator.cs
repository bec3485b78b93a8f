using GitOrch.Api.Model;

namespace GitOrch.Engine.Controllers.Autoscaling;

/// <summary>
/// Kubernetes' replica calculator (<c>pkg/controller/podautoscaler/replica_calculator.go</c>), step for step:
/// desired = ceil(ready Pods x usage ratio), no change within the tolerance; when Pods lack samples or are unready,
/// the ratio is recomputed with missing Pods at 100 % of their request (scale down) or 0 (scale up) and unready Pods at
/// 0 (scale up only), and the change is dropped if that recomputation flips its direction or lands within tolerance.
/// </summary>
public sealed class ReplicaCalculator(ReplicaCalculatorOptions options)
{
    private readonly ReplicaCalculatorOptions _options = options;

    public ReplicaCalculator()
        : this(new ReplicaCalculatorOptions())
    {
    }

    /// <summary>A Utilization target: percent of the Pods' requests of <paramref name="resource"/>.</summary>
    public ReplicaCalculation ForUtilization(int currentReplicas, int targetUtilization, string resource, IReadOnlyList<Pod> pods, IReadOnlyDictionary<string, PodMetric> metrics, DateTimeOffset now)
    {
        var (samples, groups, timestamp) = Prepare(pods, metrics, resource, now);
        var requests = Requests(pods, resource);
        if (samples.Count == 0)
        {
            throw new ReplicaCalculationException("did not receive metrics for targeted pods (pods might be unready)");
        }

        var (ratio, utilization, raw) = UtilizationRatio(samples, requests, targetUtilization);
        var scaleUpWithUnready = groups.Unready.Count > 0 && ratio > 1.0;
        if (!scaleUpWithUnready && groups.Missing.Count == 0)
        {
            var replicas = Math.Abs(1.0 - ratio) <= _options.Tolerance ? currentReplicas : (int)Math.Ceiling(ratio * groups.ReadyCount);
            return new ReplicaCalculation(replicas, utilization, raw, timestamp);
        }

        if (groups.Missing.Count > 0)
        {
            // Scale down: a Pod we cannot see might be busy, so take it at the target or full request, whichever is more.
            var fallback = Math.Max(100, targetUtilization);
            foreach (var name in groups.Missing)
            {
                samples[name] = ratio < 1.0 ? requests[name] * fallback / 100 : 0;
            }
        }

        FillUnready(samples, groups, scaleUpWithUnready);
        var (newRatio, _, _) = UtilizationRatio(samples, requests, targetUtilization);
        return new ReplicaCalculation(Settle(currentReplicas, ratio, newRatio, samples.Count), utilization, raw, timestamp);
    }

    /// <summary>An AverageValue target: the Pods' mean usage against <paramref name="targetMilli"/> (upstream's raw resource path).</summary>
    public ReplicaCalculation ForAverageValue(int currentReplicas, long targetMilli, string resource, IReadOnlyList<Pod> pods, IReadOnlyDictionary<string, PodMetric> metrics, DateTimeOffset now)
    {
        var (samples, groups, timestamp) = Prepare(pods, metrics, resource, now);
        if (samples.Count == 0)
        {
            throw new ReplicaCalculationException("did not receive metrics for targeted pods (pods might be unready)");
        }

        var (ratio, usage) = UsageRatio(samples, targetMilli);
        var scaleUpWithUnready = groups.Unready.Count > 0 && ratio > 1.0;
        if (!scaleUpWithUnready && groups.Missing.Count == 0)
        {
            var replicas = Math.Abs(1.0 - ratio) <= _options.Tolerance ? currentReplicas : (int)Math.Ceiling(ratio * groups.ReadyCount);
            return new ReplicaCalculation(replicas, null, usage, timestamp);
        }

        foreach (var name in groups.Missing)
        {
            samples[name] = ratio < 1.0 ? targetMilli : 0;
        }

        FillUnready(samples, groups, scaleUpWithUnready);
        var (newRatio, _) = UsageRatio(samples, targetMilli);
        return new ReplicaCalculation(Settle(currentReplicas, ratio, newRatio, samples.Count), null, usage, timestamp);
    }

    private (Dictionary<string, long> Samples, PodGroups Groups, DateTimeOffset Timestamp) Prepare(IReadOnlyList<Pod> pods, IReadOnlyDictionary<string, PodMetric> metrics, string resource, DateTimeOffset now)
    {
        if (pods.Count == 0)
        {
            throw new ReplicaCalculationException("no pods returned by selector while calculating replica count");
        }

        var groups = PodGroups.Of(pods, metrics, resource, now, _options);
        var known = pods.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

        // Samples of Pods outside the selector, ignored or unready Pods do not count (upstream's removeMetricsForPods).
        var samples = metrics.Where(m => known.Contains(m.Key) && !groups.Ignored.Contains(m.Key) && !groups.Unready.Contains(m.Key))
            .ToDictionary(m => m.Key, m => m.Value.Milli, StringComparer.Ordinal);
        var timestamp = metrics.Values.Select(m => m.Timestamp).DefaultIfEmpty(now).Min();
        return (samples, groups, timestamp);
    }

    private static void FillUnready(Dictionary<string, long> samples, PodGroups groups, bool scaleUpWithUnready)
    {
        if (scaleUpWithUnready)
        {
            // An unready Pod is probably starting: assume it uses nothing, which damps the scale-up.
            foreach (var name in groups.Unready)
            {
                samples[name] = 0;
            }
        }
    }

    /// <summary>Upstream's guard after the recomputation: no change within tolerance or when the direction flipped.</summary>
    private int Settle(int currentReplicas, double ratio, double newRatio, int sampleCount)
    {
        if (Math.Abs(1.0 - newRatio) <= _options.Tolerance || (ratio < 1.0 && newRatio > 1.0) || (ratio > 1.0 && newRatio < 1.0))
        {
            return currentReplicas;
        }

        var replicas = (int)Math.Ceiling(newRatio * sampleCount);
        return (newRatio < 1.0 && replicas > currentReplicas) || (newRatio > 1.0 && replicas < currentReplicas) ? currentReplicas : replicas;
    }

    /// <summary>Each Pod's request of <paramref name="resource"/> (sum over its containers), in milli-units; a container without one is an error.</summary>
    internal static Dictionary<string, long> Requests(IReadOnlyList<Pod> pods, string resource)
    {
        var requests = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            long sum = 0;
            foreach (var c in pod.Spec?.Containers ?? [])
            {
                if (c.Resources?.Requests is not { } r || !r.TryGetValue(resource, out var q))
                {
                    throw new ReplicaCalculationException($"missing request for {resource} in container {c.Name} of Pod {pod.Name}");
                }

                sum += q.Milli;
            }

            requests[pod.Name] = sum;
        }

        return requests;
    }

    private static (double Ratio, int Utilization, long Raw) UtilizationRatio(Dictionary<string, long> samples, Dictionary<string, long> requests, int target)
    {
        long total = 0, requested = 0, counted = 0;
        foreach (var (name, value) in samples)
        {
            if (requests.TryGetValue(name, out var request))
            {
                total += value;
                requested += request;
                counted++;
            }
        }

        if (requested == 0)
        {
            throw new ReplicaCalculationException("no metrics returned matched known pods");
        }

        // Integer percent first, as upstream does: the ratio is of the rounded-down utilization.
        var utilization = (int)(total * 100 / requested);
        return ((double)utilization / target, utilization, total / counted);
    }

    private static (double Ratio, long Usage) UsageRatio(Dictionary<string, long> samples, long target)
    {
        var usage = samples.Values.Sum() / samples.Count;
        return ((double)usage / target, usage);
    }
}
