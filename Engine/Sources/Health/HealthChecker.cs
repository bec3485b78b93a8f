using GitOrch.Api.Model;
using GitOrch.Api.Selectors;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Sources.Health;

/// <summary>
/// Whether an applied object is done with what it was asked: a Deployment rolled out, a StatefulSet or DaemonSet
/// updated and ready, a Job complete, a Pod ready. Other kinds are healthy once they exist (as in Flux's kstatus),
/// unless they carry a Ready condition. A workload that is not there yet names what its Pods wait for
/// (ImagePullBackOff, CrashLoopBackOff), which is what a person looks for first.
/// </summary>
public static class HealthChecker
{
    public static ObjectHealth Check(IObjectStore store, ResourceKind kind, string? ns, string name)
    {
        var label = kind.Kind + " " + (ns == null ? name : ns + "/" + name);
        var obj = store.Get(kind, ns, name);
        if (obj == null)
        {
            return new ObjectHealth(label, HealthState.Progressing, "not found");
        }

        var (state, message) = obj switch
        {
            Deployment d => OfDeployment(store, d),
            StatefulSet s => OfReplicas(store, s, s.Spec?.Selector, s.Status?.ObservedGeneration, (s.Spec?.Replicas ?? 1, s.Status?.UpdatedReplicas ?? 0, s.Status?.ReadyReplicas ?? 0)),
            DaemonSet ds => OfReplicas(store, ds, ds.Spec?.Selector, ds.Status?.ObservedGeneration, (ds.Status?.DesiredNumberScheduled ?? 0, ds.Status?.UpdatedNumberScheduled ?? 0, ds.Status?.NumberReady ?? 0)),
            Job j => OfJob(j),
            Pod p => OfPod(p),
            _ => OfConditions(ConditionsOf(obj)),
        };
        return new ObjectHealth(label, state, message);
    }

    private static (HealthState, string) OfDeployment(IObjectStore store, Deployment d)
    {
        var stuck = d.Status?.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Progressing && c.Reason == "ProgressDeadlineExceeded");
        if (stuck != null && Observed(d, d.Status?.ObservedGeneration))
        {
            return (HealthState.Failed, "ProgressDeadlineExceeded: " + (stuck.Message ?? "the rollout made no progress"));
        }

        var s = d.Status;
        var counts = (d.Spec?.Replicas ?? 1, Math.Min(s?.UpdatedReplicas ?? 0, s?.AvailableReplicas ?? 0), s?.ReadyReplicas ?? 0);
        var (state, message) = OfReplicas(store, d, d.Spec?.Selector, s?.ObservedGeneration, counts);
        return state == HealthState.Healthy && (s?.Replicas ?? 0) > counts.Item1 ? (HealthState.Progressing, $"{s!.Replicas - counts.Item1} old replica(s) pending termination") : (state, message);
    }

    /// <summary>Observed the latest spec, every desired replica updated and ready; otherwise what its Pods wait for.</summary>
    private static (HealthState, string) OfReplicas(IObjectStore store, KubeObject owner, LabelSelector? selector, long? observed, (int Desired, int Updated, int Ready) n)
    {
        if (!Observed(owner, observed))
        {
            return (HealthState.Progressing, "the controller has not seen the latest spec yet");
        }

        if (n.Updated >= n.Desired && n.Ready >= n.Desired)
        {
            return (HealthState.Healthy, "");
        }

        var counts = $"{n.Ready}/{n.Desired} ready, {n.Updated}/{n.Desired} updated";
        var waiting = PodWaiting(store, owner.Metadata.Namespace, selector);
        return (HealthState.Progressing, waiting == null ? counts : $"{waiting} ({counts})");
    }

    private static (HealthState, string) OfJob(Job j)
    {
        var conditions = j.Status?.Conditions;
        if (conditions?.Any(c => c.Type == ConditionTypes.Complete && c.Status == ConditionStatus.True) == true)
        {
            return (HealthState.Healthy, "");
        }

        var failed = conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Failed && c.Status == ConditionStatus.True);
        return failed != null
            ? (HealthState.Failed, "job failed: " + (failed.Reason ?? "") + (failed.Message == null ? "" : " " + failed.Message))
            : (HealthState.Progressing, $"{j.Status?.Succeeded ?? 0} succeeded, {j.Status?.Active ?? 0} active");
    }

    private static (HealthState, string) OfPod(Pod p)
    {
        if (p.Status?.Phase == PodPhases.Succeeded)
        {
            return (HealthState.Healthy, "");
        }

        if (p.Status?.Phase == PodPhases.Failed)
        {
            return (HealthState.Failed, "pod failed" + (p.Status.Reason == null ? "" : ": " + p.Status.Reason));
        }

        var ready = p.Status?.Conditions?.Any(c => c.Type == ConditionTypes.Ready && c.Status == ConditionStatus.True) == true;
        return ready ? (HealthState.Healthy, "") : (HealthState.Progressing, WaitingReason(p) ?? "not ready (" + (p.Status?.Phase ?? PodPhases.Pending) + ")");
    }

    private static (HealthState, string) OfConditions(List<Condition>? conditions)
    {
        var ready = conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Ready);
        return ready == null || ready.Status == ConditionStatus.True
            ? (HealthState.Healthy, "")
            : (HealthState.Progressing, "Ready=" + ready.Status + (ready.Reason == null ? "" : ": " + ready.Reason));
    }

    private static List<Condition>? ConditionsOf(KubeObject obj) => obj is GitSource g ? g.Status?.Conditions : null;

    private static bool Observed(KubeObject obj, long? observed) => (observed ?? 0) >= (obj.Metadata.Generation ?? 0);

    /// <summary>The first reason a selected Pod's container waits for, with the count of Pods waiting for it.</summary>
    private static string? PodWaiting(IObjectStore store, string? ns, LabelSelector? selector)
    {
        if (selector == null)
        {
            return null;
        }

        var reasons = store.List<Pod>(ns, Selector.FromLabelSelector(selector))
            .Select(WaitingReason)
            .Where(r => r != null)
            .GroupBy(r => r!)
            .OrderByDescending(g => g.Count())
            .FirstOrDefault();
        return reasons == null ? null : $"{reasons.Key} ({reasons.Count()} pod(s))";
    }

    private static string? WaitingReason(Pod p)
    {
        var statuses = (p.Status?.InitContainerStatuses ?? new List<ContainerStatus>()).Concat(p.Status?.ContainerStatuses ?? new List<ContainerStatus>());
        return statuses.Select(c => c.State?.Waiting?.Reason).FirstOrDefault(r => r != null && r != "ContainerCreating" && r != "PodInitializing");
    }
}
