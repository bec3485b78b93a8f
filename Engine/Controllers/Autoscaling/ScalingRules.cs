using GitOrch.Api.Model;

namespace GitOrch.Engine.Controllers.Autoscaling;

/// <summary>One direction of an HPA's behavior with every default filled in (upstream's v2 defaulting).</summary>
public sealed record ScalingRules(int StabilizationWindowSeconds, string SelectPolicy, IReadOnlyList<HPAScalingPolicy> Policies)
{
    /// <summary>Default scale-up: no window; the larger of +4 Pods or +100 % every 15 s.</summary>
    public static ScalingRules ScaleUpFrom(HPAScalingRules? rules) => new(
        rules?.StabilizationWindowSeconds ?? 0,
        rules?.SelectPolicy ?? AutoscalingWords.SelectMax,
        rules?.Policies is { Count: > 0 } p ? p : [Policy(AutoscalingWords.PodsPolicy, 4, 15), Policy(AutoscalingWords.PercentPolicy, 100, 15)]);

    /// <summary>Default scale-down: the highest recommendation of the window (300 s unless the controller says otherwise); -100 % every 15 s.</summary>
    public static ScalingRules ScaleDownFrom(HPAScalingRules? rules, TimeSpan defaultWindow) => new(
        rules?.StabilizationWindowSeconds ?? (int)defaultWindow.TotalSeconds,
        rules?.SelectPolicy ?? AutoscalingWords.SelectMax,
        rules?.Policies is { Count: > 0 } p ? p : [Policy(AutoscalingWords.PercentPolicy, 100, 15)]);

    /// <summary>The longest policy period: how long scale events must be remembered.</summary>
    public TimeSpan LongestPeriod => TimeSpan.FromSeconds(Policies.Count == 0 ? 0 : Policies.Max(p => p.PeriodSeconds));

    private static HPAScalingPolicy Policy(string type, int value, int period) => new() { Type = type, Value = value, PeriodSeconds = period };
}
