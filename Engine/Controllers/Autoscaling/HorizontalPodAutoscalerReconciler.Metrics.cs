using GitOrch.Api.Model;
using GitOrch.Api.Selectors;
using GitOrch.Engine.Events;

namespace GitOrch.Engine.Controllers.Autoscaling;

public sealed partial class HorizontalPodAutoscalerReconciler
{
    /// <summary>The largest count any metric asks for, the metric that asked, and every metric's reading.</summary>
    private sealed record Proposal(int Replicas, string MetricName, List<MetricStatus> Statuses);

    /// <summary>
    /// Upstream's computeReplicasForMetrics: one proposal per metric, the largest wins. If every metric failed, or
    /// some failed and the rest would scale down, nothing changes (null) and the first failure is reported.
    /// </summary>
    private Proposal? ComputeReplicasForMetrics(HorizontalPodAutoscaler hpa, Scale scale, HorizontalPodAutoscalerStatus status, DateTimeOffset now)
    {
        var selectorText = scale.Status?.Selector;
        if (string.IsNullOrEmpty(selectorText))
        {
            events.Record(hpa, EventTypes.Warning, "SelectorRequired", "selector is required", Component);
            SetCondition(status, AutoscalingWords.ScalingActive, false, "InvalidSelector", "the HPA target's scale is missing a selector", hpa, now);
            return null;
        }

        Selector selector;
        try
        {
            selector = Selector.Parse(selectorText);
        }
        catch (FormatException e)
        {
            var message = $"couldn't convert selector into a corresponding internal selector object: {e.Message}";
            events.Record(hpa, EventTypes.Warning, "InvalidSelector", message, Component);
            SetCondition(status, AutoscalingWords.ScalingActive, false, "InvalidSelector", message, hpa, now);
            return null;
        }

        var current = scale.Spec?.Replicas ?? 0;
        var pods = _pods.List(hpa.Namespace).Where(p => selector.Matches(p.Metadata.Labels)).ToList();
        var metrics = hpa.Spec?.Metrics is { Count: > 0 } m ? m : [DefaultCpuMetric()];
        var statuses = new List<MetricStatus>();
        int replicas = 0, invalid = 0;
        string metricName = "";
        (string Reason, string Message)? firstFailure = null;
        foreach (var metric in metrics)
        {
            try
            {
                var (proposal, name, reading) = ComputeOne(metric, current, pods, now);
                statuses.Add(reading);
                if (proposal > replicas)
                {
                    (replicas, metricName) = (proposal, name);
                }
            }
            catch (MetricFailure f)
            {
                invalid++;
                events.Record(hpa, EventTypes.Warning, f.Reason, f.Message, Component);
                firstFailure ??= (f.Reason, $"the HPA was unable to compute the replica count: {f.Message}");
            }
        }

        if (invalid >= metrics.Count || (invalid > 0 && replicas < current))
        {
            SetCondition(status, AutoscalingWords.ScalingActive, false, firstFailure!.Value.Reason, firstFailure.Value.Message, hpa, now);
            status.CurrentMetrics = statuses.Count > 0 ? statuses : null;
            return null;
        }

        SetCondition(status, AutoscalingWords.ScalingActive, true, "ValidMetricFound", $"the HPA was able to successfully calculate a replica count from {metricName}", hpa, now);
        return new Proposal(replicas, metricName, statuses);
    }

    private (int Replicas, string Name, MetricStatus Reading) ComputeOne(MetricSpec metric, int current, List<Pod> pods, DateTimeOffset now)
    {
        if (metric.Type != AutoscalingWords.ResourceMetric || metric.Resource == null)
        {
            throw new MetricFailure("InvalidMetricSourceType", $"unrecognized metric source type \"{metric.Type}\" (GitOrch serves Resource metrics)");
        }

        var resource = metric.Resource.Name;
        var target = metric.Resource.Target;
        if (resource is not ("cpu" or "memory"))
        {
            throw new MetricFailure("FailedGetResourceMetric", $"failed to get {resource} utilization: unable to get metrics for resource {resource}: only cpu and memory are measured");
        }

        var samples = SamplesFor(pods, resource);
        try
        {
            if (samples.Count == 0)
            {
                throw new ReplicaCalculationException($"unable to get metrics for resource {resource}: no metrics returned from resource metrics API");
            }

            if (target.Type == AutoscalingWords.Utilization && target.AverageUtilization is { } utilization)
            {
                var r = _calculator.ForUtilization(current, utilization, resource, pods, samples, now);
                return (r.Replicas, $"{resource} resource utilization (percentage of request)", Reading(resource, r.Utilization, r.AverageMilli));
            }

            if (target.Type == AutoscalingWords.AverageValue && target.AverageValue is { } average)
            {
                var r = _calculator.ForAverageValue(current, average.Milli, resource, pods, samples, now);
                return (r.Replicas, $"{resource} resource", Reading(resource, null, r.AverageMilli));
            }
        }
        catch (ReplicaCalculationException e)
        {
            throw new MetricFailure("FailedGetResourceMetric", $"failed to get {resource} utilization: {e.Message}");
        }

        throw new MetricFailure("InvalidMetricSourceType", $"invalid resource metric source: target type {target.Type} needs averageUtilization or averageValue");
    }

    /// <summary>Each Pod's usage from the cache, summed over its containers, in milli-units.</summary>
    private Dictionary<string, PodMetric> SamplesFor(List<Pod> pods, string resource)
    {
        var samples = new Dictionary<string, PodMetric>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            var u = usage.Pod(pod.Namespace ?? "", pod.Name);
            if (u == null || u.Uid != pod.Metadata.Uid)
            {
                continue;
            }

            var milli = resource == "cpu"
                ? u.Containers.Sum(c => c.CpuNanoCores) / 1_000_000
                : u.Containers.Sum(c => c.MemoryWorkingSetBytes) * 1000;
            samples[pod.Name] = new PodMetric(milli, u.Timestamp, TimeSpan.FromSeconds(u.WindowSeconds));
        }

        return samples;
    }

    private static MetricStatus Reading(string resource, int? utilization, long averageMilli) => new()
    {
        Type = AutoscalingWords.ResourceMetric,
        Resource = new ResourceMetricStatus
        {
            Name = resource,
            Current = new MetricValueStatus { AverageUtilization = utilization, AverageValue = Quantity.FromMilli(averageMilli) },
        },
    };

    // An HPA without metrics targets 80 % CPU, as upstream defaults it.
    private static MetricSpec DefaultCpuMetric() => new()
    {
        Type = AutoscalingWords.ResourceMetric,
        Resource = new ResourceMetricSource { Name = "cpu", Target = new MetricTarget { Type = AutoscalingWords.Utilization, AverageUtilization = 80 } },
    };

    /// <summary>One metric could not be computed; Reason is the event and condition reason.</summary>
    private sealed class MetricFailure(string reason, string message) : Exception(message)
    {
        public string Reason { get; } = reason;
    }
}
