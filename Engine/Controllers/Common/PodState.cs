using GitOrch.Api.Model;

namespace GitOrch.Engine.Controllers.Common;

/// <summary>Readings of a Pod's status the workload controllers share (ready, available, active).</summary>
public static class PodState
{
    /// <summary>Counts toward a workload: not being deleted and not finished.</summary>
    public static bool IsActive(Pod pod)
        => pod.Metadata.DeletionTimestamp == null && !PodPhases.IsTerminal(pod.Status?.Phase);

    public static bool IsReady(Pod pod) => ReadySince(pod) != null;

    /// <summary>When the Pod's Ready condition last turned True, or null if it is not ready.</summary>
    public static DateTimeOffset? ReadySince(Pod pod)
    {
        var conditions = pod.Status?.Conditions;
        if (conditions == null)
        {
            return null;
        }

        foreach (var c in conditions)
        {
            if (c.Type == ConditionTypes.Ready)
            {
                return c.Status == ConditionStatus.True ? c.LastTransitionTime ?? DateTimeOffset.MinValue : null;
            }
        }

        return null;
    }

    /// <summary>Ready for at least <paramref name="minReadySeconds"/>. When not yet, <paramref name="availableIn"/> says how long to wait.</summary>
    public static bool IsAvailable(Pod pod, int minReadySeconds, DateTimeOffset now, out TimeSpan availableIn)
    {
        availableIn = TimeSpan.Zero;
        var since = ReadySince(pod);
        if (since == null)
        {
            return false;
        }

        if (minReadySeconds <= 0)
        {
            return true;
        }

        var at = since.Value == DateTimeOffset.MinValue ? now : since.Value + TimeSpan.FromSeconds(minReadySeconds);
        if (at <= now)
        {
            return true;
        }

        availableIn = at - now;
        return false;
    }

    public static bool IsAvailable(Pod pod, int minReadySeconds, DateTimeOffset now) => IsAvailable(pod, minReadySeconds, now, out _);
}
