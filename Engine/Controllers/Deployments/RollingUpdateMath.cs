using GitOrch.Api.Model;

namespace GitOrch.Engine.Controllers.Deployments;

/// <summary>
/// The arithmetic of a rolling update, kept pure so it can be reasoned about (and tested) apart from the store.
/// Counts use each ReplicaSet's footprint (max of spec and actual Pods) for the surge bound and its surviving available
/// Pods for the availability bound, so neither bound is broken while the ReplicaSet controller catches up.
/// </summary>
internal static class RollingUpdateMath
{
    public static (int MaxSurge, int MaxUnavailable) Limits(Deployment d)
    {
        var replicas = d.Spec?.Replicas ?? 1;
        var ru = d.Spec?.Strategy?.RollingUpdate;
        var surge = (ru?.MaxSurge ?? new IntOrString("25%")).Scaled(replicas, roundUp: true);
        var unavailable = (ru?.MaxUnavailable ?? new IntOrString("25%")).Scaled(replicas, roundUp: false);
        surge = Math.Max(0, surge);
        unavailable = Math.Clamp(unavailable, 0, replicas);
        if (surge == 0 && unavailable == 0)
        {
            // Neither may move: Kubernetes allows one unavailable Pod so the rollout can make progress.
            unavailable = 1;
        }

        return (surge, unavailable);
    }

    /// <summary>The new ReplicaSet's replicas after this step.</summary>
    public static int NewReplicas(int replicas, int maxSurge, ReplicaSetView? newRs, IReadOnlyList<ReplicaSetView> all)
    {
        var current = newRs?.Spec ?? 0;
        if (current > replicas)
        {
            return replicas;
        }

        if (current == replicas)
        {
            return current;
        }

        var footprint = all.Sum(v => v.Footprint);
        var room = replicas + maxSurge - footprint;
        return room <= 0 ? current : current + Math.Min(room, replicas - current);
    }

    /// <summary>
    /// How far each old ReplicaSet may shrink: first the Pods that are not available anyway, then available ones down
    /// to replicas - maxUnavailable in total. Returns new spec values by ReplicaSet name.
    /// </summary>
    public static Dictionary<string, int> ScaleDownOld(int replicas, int maxUnavailable, ReplicaSetView? newRs, IReadOnlyList<ReplicaSetView> old)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        var minAvailable = replicas - maxUnavailable;
        var available = old.Sum(v => v.SurvivingAvailable) + (newRs?.SurvivingAvailable ?? 0);

        // Unavailable old Pods cost nothing to remove.
        foreach (var v in old.OrderBy(v => v.Revision))
        {
            var unavailable = v.Spec - v.SurvivingAvailable;
            if (unavailable > 0)
            {
                v.Spec -= unavailable;
                result[v.Name] = v.Spec;
            }
        }

        var budget = available - minAvailable;
        foreach (var v in old.OrderBy(v => v.Revision))
        {
            if (budget <= 0)
            {
                break;
            }

            var take = Math.Min(v.Spec, budget);
            if (take > 0)
            {
                v.Spec -= take;
                budget -= take;
                result[v.Name] = v.Spec;
            }
        }

        return result;
    }
}
