using GitOrch.Api.Model;
using GitOrch.Engine.Controllers.Common;
using GitOrch.Engine.Runtime;

namespace GitOrch.Engine.Controllers.Deployments;

/// <summary>
/// A ReplicaSet as the Deployment controller counts it, from the Pods themselves rather than the ReplicaSet's status
/// (which lags a reconcile behind): active, ready and available Pods, and the revision.
/// </summary>
internal sealed class ReplicaSetView
{
    public ReplicaSetView(ReplicaSet rs, Informer<Pod> pods, int minReadySeconds, DateTimeOffset now)
    {
        ReplicaSet = rs;
        Spec = rs.Spec?.Replicas ?? 0;
        Revision = long.TryParse(rs.Metadata.Annotation(DeploymentAnnotations.Revision), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var r) ? r : 0;
        NextAvailable = TimeSpan.MaxValue;
        foreach (var pod in pods.ByIndex(WellKnownIndexes.ControllerUid, rs.Metadata.Uid!))
        {
            if (!PodState.IsActive(pod))
            {
                continue;
            }

            Actual++;
            if (PodState.IsReady(pod))
            {
                Ready++;
                if (PodState.IsAvailable(pod, minReadySeconds, now, out var wait))
                {
                    Available++;
                }
                else if (wait < NextAvailable)
                {
                    NextAvailable = wait;
                }
            }
        }
    }

    public ReplicaSet ReplicaSet { get; }

    public string Name => ReplicaSet.Metadata.Name!;

    /// <summary>spec.replicas, updated in place when this reconcile scales it.</summary>
    public int Spec { get; set; }

    /// <summary>Active Pods (not terminating, not finished).</summary>
    public int Actual { get; }

    public int Ready { get; }

    public int Available { get; }

    public long Revision { get; set; }

    /// <summary>How long until the next ready Pod becomes available (minReadySeconds); MaxValue if none waits.</summary>
    public TimeSpan NextAvailable { get; }

    /// <summary>Pods this ReplicaSet may have now or soon: the larger of what it has and what it was asked for.</summary>
    public int Footprint => Math.Max(Spec, Actual);

    /// <summary>Available Pods that will survive: a ReplicaSet scaled below its available count loses the difference.</summary>
    public int SurvivingAvailable => Math.Min(Available, Spec);
}
