using GitOrch.Api.Model;
using GitOrch.Engine.Scheduling;
using GitOrch.Engine.Scheduling.Filters;

namespace GitOrch.Engine.Controllers.DaemonSets;

/// <summary>
/// Which nodes a DaemonSet belongs on, decided by the scheduler's own filters so a DaemonSet and the scheduler never
/// disagree about nodeSelector, required node affinity or taints. Readiness, cordon and resources are left out, as in
/// Kubernetes: a daemon runs on a cordoned or struggling node too (that is often why it is there).
/// </summary>
public sealed class DaemonSetPlacement
{
    private static readonly NodeSelectorFilter Selector = new();
    private static readonly NodeAffinityFilter Affinity = new();
    private static readonly TaintTolerationFilter Taints = new();

    private readonly PodInfo _pod;
    private readonly List<string> _reasons = new();

    /// <param name="pod">A Pod as the DaemonSet would create it (template plus the default daemon tolerations).</param>
    public DaemonSetPlacement(Pod pod) => _pod = new PodInfo(pod);

    /// <summary>
    /// ShouldRun: a daemon Pod belongs on the node. ShouldContinueRunning: one already there may stay — true also when
    /// only an untolerated NoSchedule taint keeps new Pods off (NoSchedule never evicts; NoExecute does).
    /// </summary>
    public (bool ShouldRun, bool ShouldContinueRunning) Evaluate(Node node)
    {
        _reasons.Clear();
        var info = new NodeInfo(node, int.MaxValue);
        if (!Selector.Fits(_pod, info, _reasons) || !Affinity.Fits(_pod, info, _reasons))
        {
            return (false, false);
        }

        if (Taints.Fits(_pod, info, _reasons))
        {
            return (true, true);
        }

        foreach (var taint in node.Spec?.Taints ?? new List<Taint>())
        {
            if (taint.Effect == WellKnownTaints.NoExecute && Tolerations.Find(_pod.Pod, taint) == null)
            {
                return (false, false);
            }
        }

        return (false, true);
    }
}
