namespace GitOrch.Engine.Controllers.Autoscaling;

/// <summary>
/// What one HPA's stabilization and rate limits look back on: its recent recommendations and the scale changes it
/// made. In memory, as in kube-controller-manager: after an Engine restart the windows start afresh from the current
/// count (upstream's recordInitialRecommendation).
/// </summary>
public sealed class ScalingHistory
{
    public List<(int Replicas, DateTimeOffset At)> Recommendations { get; } = new();

    public List<ScaleEvent> ScaleUps { get; } = new();

    public List<ScaleEvent> ScaleDowns { get; } = new();

    /// <summary>Replicas added (or removed) within the last <paramref name="period"/>.</summary>
    public static int ChangeWithin(List<ScaleEvent> events, TimeSpan period, DateTimeOffset now)
    {
        var cutoff = now - period;
        return events.Where(e => e.At > cutoff).Sum(e => e.Change);
    }

    /// <summary>Records a change, reusing a slot older than every policy period (upstream's storeScaleEvent).</summary>
    public void RecordScale(int previous, int next, ScalingRules up, ScalingRules down, DateTimeOffset now)
    {
        var (events, longest, change) = next > previous ? (ScaleUps, up.LongestPeriod, next - previous) : (ScaleDowns, down.LongestPeriod, previous - next);
        var cutoff = now - longest;
        var outdated = events.FindIndex(e => e.At < cutoff);
        if (outdated >= 0)
        {
            events[outdated] = new ScaleEvent(change, now);
        }
        else
        {
            events.Add(new ScaleEvent(change, now));
        }
    }
}

/// <summary>One scale change: how many replicas it added or removed, and when.</summary>
public sealed record ScaleEvent(int Change, DateTimeOffset At);
