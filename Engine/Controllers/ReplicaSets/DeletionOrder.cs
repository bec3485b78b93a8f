using GitOrch.Api.Model;
using GitOrch.Engine.Controllers.Common;

namespace GitOrch.Engine.Controllers.ReplicaSets;

/// <summary>
/// Which Pod goes first when a workload shrinks (Kubernetes' ActivePods order): unscheduled before scheduled, pending
/// before running, not ready before ready, ready for less time before longer, more restarts first, newer before older.
/// Losing the Pods that serve least costs the least availability.
/// </summary>
public sealed class DeletionOrder : IComparer<Pod>
{
    public static DeletionOrder Instance { get; } = new();

    public int Compare(Pod? x, Pod? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x == null || y == null)
        {
            return x == null ? -1 : 1;
        }

        var c = Scheduled(x).CompareTo(Scheduled(y));
        if (c != 0)
        {
            return c;
        }

        c = PhaseRank(x).CompareTo(PhaseRank(y));
        if (c != 0)
        {
            return c;
        }

        var rx = PodState.ReadySince(x);
        var ry = PodState.ReadySince(y);
        c = (rx != null).CompareTo(ry != null);
        if (c != 0)
        {
            return c;
        }

        if (rx != null && ry != null && rx != ry)
        {
            // Ready more recently goes first.
            return ry.Value.CompareTo(rx.Value);
        }

        c = Restarts(y).CompareTo(Restarts(x));
        if (c != 0)
        {
            return c;
        }

        var cx = x.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue;
        var cy = y.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue;
        c = cy.CompareTo(cx);
        return c != 0 ? c : string.CompareOrdinal(y.Metadata.Name, x.Metadata.Name);
    }

    private static int Scheduled(Pod p) => string.IsNullOrEmpty(p.Spec?.NodeName) ? 0 : 1;

    private static int PhaseRank(Pod p) => p.Status?.Phase switch
    {
        PodPhases.Pending or null => 0,
        PodPhases.Unknown => 1,
        _ => 2,
    };

    private static int Restarts(Pod p) => p.Status?.ContainerStatuses?.Sum(c => c.RestartCount) ?? 0;
}
