namespace GitOrch.Api.Model;

/// <summary>The HorizontalPodAutoscaler's wire words (autoscaling/v2), spelled once for the Engine and clients.</summary>
public static class AutoscalingWords
{
    public const string ResourceMetric = "Resource";
    public const string Utilization = "Utilization";
    public const string AverageValue = "AverageValue";
    public const string Value = "Value";

    public const string PodsPolicy = "Pods";
    public const string PercentPolicy = "Percent";

    public const string SelectMax = "Max";
    public const string SelectMin = "Min";
    public const string SelectDisabled = "Disabled";

    /// <summary>Condition: the controller can fetch and update the target's scale.</summary>
    public const string AbleToScale = "AbleToScale";

    /// <summary>Condition: metrics could be computed, so the HPA is actively controlling replicas.</summary>
    public const string ScalingActive = "ScalingActive";

    /// <summary>Condition: the desired count was clamped by min/max or by a behavior policy.</summary>
    public const string ScalingLimited = "ScalingLimited";
}
