using System;
using System.Collections.Generic;

namespace GitOrch.Api.Model;

/// <summary>
/// autoscaling/v2 HorizontalPodAutoscaler: keeps a workload's replicas between min and max so that the average
/// usage of its Pods stays near the targets. GitOrch serves Resource metrics (cpu, memory).
/// </summary>
public sealed class HorizontalPodAutoscaler : KubeObject<HorizontalPodAutoscalerSpec, HorizontalPodAutoscalerStatus>
{
}

public sealed class HorizontalPodAutoscalerSpec : Extensible
{
    public CrossVersionObjectReference ScaleTargetRef { get; set; } = new();

    /// <summary>Lower bound; 1 when unset, as Kubernetes defaults it.</summary>
    public int? MinReplicas { get; set; }

    public int MaxReplicas { get; set; }

    public List<MetricSpec>? Metrics { get; set; }

    public HorizontalPodAutoscalerBehavior? Behavior { get; set; }
}

public sealed class CrossVersionObjectReference : Extensible
{
    public string Kind { get; set; } = "";
    public string Name { get; set; } = "";
    public string? ApiVersion { get; set; }
}

public sealed class MetricSpec : Extensible
{
    /// <summary>"Resource" (GitOrch serves this one), "ContainerResource", "Pods", "Object" or "External".</summary>
    public string Type { get; set; } = "";
    public ResourceMetricSource? Resource { get; set; }
}

public sealed class ResourceMetricSource : Extensible
{
    /// <summary>"cpu" or "memory".</summary>
    public string Name { get; set; } = "";
    public MetricTarget Target { get; set; } = new();
}

public sealed class MetricTarget : Extensible
{
    /// <summary>"Utilization" (percent of requests), "AverageValue" or "Value".</summary>
    public string Type { get; set; } = "";
    public int? AverageUtilization { get; set; }
    public Quantity? AverageValue { get; set; }
    public Quantity? Value { get; set; }
}

public sealed class HorizontalPodAutoscalerBehavior : Extensible
{
    public HPAScalingRules? ScaleUp { get; set; }
    public HPAScalingRules? ScaleDown { get; set; }
}

public sealed class HPAScalingRules : Extensible
{
    public int? StabilizationWindowSeconds { get; set; }

    /// <summary>"Max" (default), "Min" or "Disabled".</summary>
    public string? SelectPolicy { get; set; }
    public List<HPAScalingPolicy>? Policies { get; set; }
}

public sealed class HPAScalingPolicy : Extensible
{
    /// <summary>"Pods" or "Percent".</summary>
    public string Type { get; set; } = "";
    public int Value { get; set; }
    public int PeriodSeconds { get; set; }
}

public sealed class HorizontalPodAutoscalerStatus : Extensible
{
    public long? ObservedGeneration { get; set; }
    public DateTimeOffset? LastScaleTime { get; set; }
    public int? CurrentReplicas { get; set; }
    public int DesiredReplicas { get; set; }
    public List<MetricStatus>? CurrentMetrics { get; set; }
    public List<Condition>? Conditions { get; set; }
}

public sealed class MetricStatus : Extensible
{
    public string Type { get; set; } = "";
    public ResourceMetricStatus? Resource { get; set; }
}

public sealed class ResourceMetricStatus : Extensible
{
    public string Name { get; set; } = "";
    public MetricValueStatus Current { get; set; } = new();
}

public sealed class MetricValueStatus : Extensible
{
    public int? AverageUtilization { get; set; }
    public Quantity? AverageValue { get; set; }
    public Quantity? Value { get; set; }
}
