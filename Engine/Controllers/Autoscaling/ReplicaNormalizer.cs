namespace GitOrch.Engine.Controllers.Autoscaling;

/// <summary>
/// Upstream's normalizeDesiredReplicasWithBehaviors: first stabilize (the lowest recommendation of the scale-up
/// window, the highest of the scale-down window), then apply the rate policies (Pods/Percent per period,
/// selectPolicy Max/Min/Disabled) and min/max.
/// </summary>
public static class ReplicaNormalizer
{
    public static Normalization Normalize(ScalingHistory history, NormalizationArgs args, DateTimeOffset now)
    {
        var stabilized = Stabilize(history, args, now, out var reason, out var message);
        if (stabilized == args.DesiredReplicas)
        {
            (reason, message) = ("ReadyForNewScale", "recommended size matches current size");
        }

        var (replicas, limitReason, limitMessage) = LimitRate(history, args with { DesiredReplicas = stabilized }, now);
        return new Normalization(replicas, reason, message, replicas != stabilized, limitReason, limitMessage);
    }

    private static int Stabilize(ScalingHistory history, NormalizationArgs args, DateTimeOffset now, out string reason, out string message)
    {
        var upCutoff = now - TimeSpan.FromSeconds(args.ScaleUp.StabilizationWindowSeconds);
        var downCutoff = now - TimeSpan.FromSeconds(args.ScaleDown.StabilizationWindowSeconds);
        var up = args.DesiredReplicas;
        var down = args.DesiredReplicas;
        var old = -1;
        var recs = history.Recommendations;
        for (var i = 0; i < recs.Count; i++)
        {
            var (replicas, at) = recs[i];
            if (at > upCutoff)
            {
                up = Math.Min(up, replicas);
            }

            if (at > downCutoff)
            {
                down = Math.Max(down, replicas);
            }

            if (at < upCutoff && at < downCutoff)
            {
                old = i;
            }
        }

        var recommendation = Math.Min(Math.Max(args.CurrentReplicas, up), down);
        if (old >= 0)
        {
            recs[old] = (args.DesiredReplicas, now);
        }
        else
        {
            recs.Add((args.DesiredReplicas, now));
        }

        (reason, message) = args.DesiredReplicas >= args.CurrentReplicas
            ? ("ScaleUpStabilized", "recent recommendations were lower than current one, applying the lowest recent recommendation")
            : ("ScaleDownStabilized", "recent recommendations were higher than current one, applying the highest recent recommendation");
        return recommendation;
    }

    private static (int Replicas, string Reason, string Message) LimitRate(ScalingHistory history, NormalizationArgs args, DateTimeOffset now)
    {
        if (args.DesiredReplicas > args.CurrentReplicas)
        {
            var limit = Math.Max(args.CurrentReplicas, ScaleUpLimit(history, args.CurrentReplicas, args.ScaleUp, now));
            var (max, reason, message) = args.MaxReplicas > limit
                ? (limit, "ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate")
                : (args.MaxReplicas, "TooManyReplicas", "the desired replica count is more than the maximum replica count");
            if (args.DesiredReplicas > max)
            {
                return (max, reason, message);
            }
        }
        else if (args.DesiredReplicas < args.CurrentReplicas)
        {
            var limit = Math.Min(args.CurrentReplicas, ScaleDownLimit(history, args.CurrentReplicas, args.ScaleDown, now));
            var (min, reason, message) = args.MinReplicas < limit
                ? (limit, "ScaleDownLimit", "the desired replica count is decreasing faster than the maximum scale rate")
                : (args.MinReplicas, "TooFewReplicas", "the desired replica count is less than the minimum replica count");
            if (args.DesiredReplicas < min)
            {
                return (min, reason, message);
            }
        }

        return (args.DesiredReplicas, "DesiredWithinRange", "the desired count is within the acceptable range");
    }

    /// <summary>The most replicas the scale-up policies allow now, counted from the start of each policy's period.</summary>
    internal static int ScaleUpLimit(ScalingHistory history, int current, ScalingRules rules, DateTimeOffset now)
    {
        if (rules.SelectPolicy == Api.Model.AutoscalingWords.SelectDisabled)
        {
            return current;
        }

        var useMin = rules.SelectPolicy == Api.Model.AutoscalingWords.SelectMin;
        var result = useMin ? int.MaxValue : int.MinValue;
        foreach (var policy in rules.Policies)
        {
            var start = PeriodStart(history, current, policy.PeriodSeconds, now);
            var proposed = policy.Type == Api.Model.AutoscalingWords.PodsPolicy
                ? start + policy.Value
                : (int)Math.Ceiling(start * (1 + (policy.Value / 100.0)));
            result = useMin ? Math.Min(result, proposed) : Math.Max(result, proposed);
        }

        return result;
    }

    /// <summary>The fewest replicas the scale-down policies allow now; "Min" picks the smallest change, so the highest count.</summary>
    internal static int ScaleDownLimit(ScalingHistory history, int current, ScalingRules rules, DateTimeOffset now)
    {
        if (rules.SelectPolicy == Api.Model.AutoscalingWords.SelectDisabled)
        {
            return current;
        }

        var useMin = rules.SelectPolicy == Api.Model.AutoscalingWords.SelectMin;
        var result = useMin ? int.MinValue : int.MaxValue;
        foreach (var policy in rules.Policies)
        {
            var start = PeriodStart(history, current, policy.PeriodSeconds, now);
            var proposed = policy.Type == Api.Model.AutoscalingWords.PodsPolicy
                ? start - policy.Value
                : (int)(start * (1 - (policy.Value / 100.0)));
            result = useMin ? Math.Max(result, proposed) : Math.Min(result, proposed);
        }

        return result;
    }

    private static int PeriodStart(ScalingHistory history, int current, int periodSeconds, DateTimeOffset now)
    {
        var period = TimeSpan.FromSeconds(periodSeconds);
        return current - ScalingHistory.ChangeWithin(history.ScaleUps, period, now) + ScalingHistory.ChangeWithin(history.ScaleDowns, period, now);
    }
}
