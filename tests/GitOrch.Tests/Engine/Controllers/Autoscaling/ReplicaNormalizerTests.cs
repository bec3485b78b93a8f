using GitOrch.Api.Model;
using GitOrch.Engine.Controllers.Autoscaling;
using Xunit;

namespace GitOrch.Tests.Engine.Controllers.Autoscaling;

/// <summary>
/// Stabilization windows and scaling policies, pinned to the examples of the Kubernetes HPA documentation
/// ("Scaling policies", "Stabilization window", "Default Behavior") and upstream's reason words.
/// </summary>
public sealed class ReplicaNormalizerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan DefaultDownWindow = TimeSpan.FromMinutes(5);

    private static HPAScalingPolicy Policy(string type, int value, int period) => new() { Type = type, Value = value, PeriodSeconds = period };

    private static ScalingHistory Started(int replicas, DateTimeOffset at)
    {
        var h = new ScalingHistory();
        h.Recommendations.Add((replicas, at));
        return h;
    }

    [Fact]
    public void Docs_example_scale_down_takes_the_policy_allowing_the_larger_change_and_10_percent_of_72_rounds_to_8()
    {
        // Docs: Pods 4 per 60 s and Percent 10 per 60 s: at 80 replicas 10 % (8) wins; next period at 72, 10 % is 7.2
        // "rounded up to 8"; the Pods policy takes over once 10 % is under 4.
        var down = ScalingRules.ScaleDownFrom(new HPAScalingRules
        {
            StabilizationWindowSeconds = 0,
            Policies = [Policy(AutoscalingWords.PodsPolicy, 4, 60), Policy(AutoscalingWords.PercentPolicy, 10, 60)],
        }, DefaultDownWindow);
        var up = ScalingRules.ScaleUpFrom(null);
        var history = Started(80, T0);

        var first = ReplicaNormalizer.Normalize(history, new NormalizationArgs(up, down, 1, 100, 80, 10), T0);
        Assert.Equal(72, first.Replicas);
        Assert.True(first.Limited);
        Assert.Equal("ScaleDownLimit", first.LimitedReason);
        history.RecordScale(80, 72, up, down, T0);

        var sameMinute = ReplicaNormalizer.Normalize(history, new NormalizationArgs(up, down, 1, 100, 72, 10), T0 + TimeSpan.FromSeconds(30));
        Assert.Equal(72, sameMinute.Replicas);

        var nextPeriod = ReplicaNormalizer.Normalize(history, new NormalizationArgs(up, down, 1, 100, 72, 10), T0 + TimeSpan.FromSeconds(61));
        Assert.Equal(64, nextPeriod.Replicas);

        var small = ReplicaNormalizer.Normalize(Started(30, T0), new NormalizationArgs(up, down, 1, 100, 30, 10), T0);
        Assert.Equal(26, small.Replicas);
    }

    [Fact]
    public void SelectPolicy_Min_takes_the_smaller_change_and_Disabled_none()
    {
        var policies = new List<HPAScalingPolicy> { Policy(AutoscalingWords.PodsPolicy, 4, 60), Policy(AutoscalingWords.PercentPolicy, 10, 60) };
        var up = ScalingRules.ScaleUpFrom(null);
        var min = ScalingRules.ScaleDownFrom(new HPAScalingRules { StabilizationWindowSeconds = 0, SelectPolicy = AutoscalingWords.SelectMin, Policies = policies }, DefaultDownWindow);
        Assert.Equal(76, ReplicaNormalizer.Normalize(Started(80, T0), new NormalizationArgs(up, min, 1, 100, 80, 10), T0).Replicas);

        // Docs: "selectPolicy: Disabled" turns scaling in that direction off.
        var disabled = ScalingRules.ScaleDownFrom(new HPAScalingRules { StabilizationWindowSeconds = 0, SelectPolicy = AutoscalingWords.SelectDisabled }, DefaultDownWindow);
        Assert.Equal(80, ReplicaNormalizer.Normalize(Started(80, T0), new NormalizationArgs(up, disabled, 1, 100, 80, 10), T0).Replicas);
    }

    [Fact]
    public void Default_scale_up_allows_the_larger_of_4_pods_or_double_per_15_seconds()
    {
        // Docs' default behavior: scaleUp Pods 4 / Percent 100 per 15 s, selectPolicy Max, no window.
        var up = ScalingRules.ScaleUpFrom(null);
        var down = ScalingRules.ScaleDownFrom(null, DefaultDownWindow);
        var history = Started(1, T0);
        var n = ReplicaNormalizer.Normalize(history, new NormalizationArgs(up, down, 1, 100, 1, 20), T0);
        Assert.Equal(5, n.Replicas);
        Assert.Equal("ScaleUpLimit", n.LimitedReason);
        history.RecordScale(1, 5, up, down, T0);

        // Within the same 15 s the period started at 1: still at most 5. After it, 5 may double to 10.
        Assert.Equal(5, ReplicaNormalizer.Normalize(history, new NormalizationArgs(up, down, 1, 100, 5, 20), T0 + TimeSpan.FromSeconds(10)).Replicas);
        Assert.Equal(10, ReplicaNormalizer.Normalize(history, new NormalizationArgs(up, down, 1, 100, 5, 20), T0 + TimeSpan.FromSeconds(16)).Replicas);
    }

    [Fact]
    public void Docs_example_percent_900_lets_one_pod_become_ten()
    {
        var up = ScalingRules.ScaleUpFrom(new HPAScalingRules { Policies = [Policy(AutoscalingWords.PercentPolicy, 900, 60)] });
        var n = ReplicaNormalizer.Normalize(Started(1, T0), new NormalizationArgs(up, ScalingRules.ScaleDownFrom(null, DefaultDownWindow), 1, 100, 1, 50), T0);
        Assert.Equal(10, n.Replicas);
    }

    [Fact]
    public void Max_replicas_caps_with_TooManyReplicas_and_min_with_TooFewReplicas()
    {
        var up = ScalingRules.ScaleUpFrom(null);
        var down = ScalingRules.ScaleDownFrom(new HPAScalingRules { StabilizationWindowSeconds = 0 }, DefaultDownWindow);
        var capped = ReplicaNormalizer.Normalize(Started(1, T0), new NormalizationArgs(up, down, 1, 4, 1, 9), T0);
        Assert.Equal((4, true, "TooManyReplicas"), (capped.Replicas, capped.Limited, capped.LimitedReason));

        var floored = ReplicaNormalizer.Normalize(Started(4, T0), new NormalizationArgs(up, down, 2, 10, 4, 1), T0);
        Assert.Equal((2, true, "TooFewReplicas"), (floored.Replicas, floored.Limited, floored.LimitedReason));

        var within = ReplicaNormalizer.Normalize(Started(4, T0), new NormalizationArgs(up, down, 1, 10, 4, 6), T0);
        Assert.Equal((6, false, "DesiredWithinRange"), (within.Replicas, within.Limited, within.LimitedReason));
    }

    [Fact]
    public void Scale_down_waits_for_the_highest_recommendation_of_the_window()
    {
        // Default window 300 s: a recommendation of 5 at T0 holds the count at 5 until it is older than the window.
        var up = ScalingRules.ScaleUpFrom(null);
        var down = ScalingRules.ScaleDownFrom(null, DefaultDownWindow);
        var history = Started(5, T0);
        var held = ReplicaNormalizer.Normalize(history, new NormalizationArgs(up, down, 1, 10, 5, 2), T0 + TimeSpan.FromSeconds(60));
        Assert.Equal(5, held.Replicas);
        Assert.Equal("ScaleDownStabilized", held.AbleToScaleReason);

        var released = ReplicaNormalizer.Normalize(history, new NormalizationArgs(up, down, 1, 10, 5, 2), T0 + TimeSpan.FromSeconds(301));
        Assert.Equal(2, released.Replicas);
        Assert.Equal("ReadyForNewScale", released.AbleToScaleReason);
    }

    [Fact]
    public void A_scale_up_window_takes_the_lowest_recent_recommendation()
    {
        var up = ScalingRules.ScaleUpFrom(new HPAScalingRules { StabilizationWindowSeconds = 60 });
        var down = ScalingRules.ScaleDownFrom(null, DefaultDownWindow);
        var history = Started(2, T0);
        var held = ReplicaNormalizer.Normalize(history, new NormalizationArgs(up, down, 1, 10, 2, 6), T0 + TimeSpan.FromSeconds(30));
        Assert.Equal((2, "ScaleUpStabilized"), (held.Replicas, held.AbleToScaleReason));
        var later = ReplicaNormalizer.Normalize(history, new NormalizationArgs(up, down, 1, 10, 2, 6), T0 + TimeSpan.FromSeconds(95));
        Assert.Equal(6, later.Replicas);
    }
}
