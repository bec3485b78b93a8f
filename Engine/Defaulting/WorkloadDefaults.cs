using GitOrch.Api.Model;

namespace GitOrch.Engine.Defaulting;

/// <summary>Kubernetes' apps/v1 and batch/v1 defaults (pkg/apis/apps/v1/defaults.go): replicas, strategies, history, and the Pod template's defaults.</summary>
public static class WorkloadDefaults
{
    private static readonly IntOrString Quarter = new("25%");

    public static void Apply(KubeObject obj)
    {
        switch (obj)
        {
            case Deployment { Spec: { } d }:
                d.Replicas ??= 1;
                d.RevisionHistoryLimit ??= 10;
                d.ProgressDeadlineSeconds ??= 600;
                d.Strategy ??= new DeploymentStrategy();
                d.Strategy.Type ??= "RollingUpdate";
                if (d.Strategy.Type == "RollingUpdate")
                {
                    d.Strategy.RollingUpdate ??= new RollingUpdateDeployment();
                    d.Strategy.RollingUpdate.MaxSurge ??= Quarter;
                    d.Strategy.RollingUpdate.MaxUnavailable ??= Quarter;
                }

                Template(d.Template.Spec, restartPolicy: true);
                break;
            case ReplicaSet { Spec: { } rs }:
                rs.Replicas ??= 1;
                Template(rs.Template?.Spec, restartPolicy: true);
                break;
            case StatefulSet { Spec: { } ss }:
                ss.Replicas ??= 1;
                Template(ss.Template?.Spec, restartPolicy: true);
                break;
            case DaemonSet { Spec: { } ds }:
                Template(ds.Template.Spec, restartPolicy: true);
                break;
            case Job { Spec: { } job }:
                Template(job.Template.Spec, restartPolicy: false);
                break;
            case CronJob { Spec: { } cj }:
                Template(cj.JobTemplate.Spec?.Template.Spec, restartPolicy: false);
                break;
        }
    }

    private static void Template(PodSpec? spec, bool restartPolicy)
    {
        if (spec != null)
        {
            PodDefaults.ApplySpec(spec, restartPolicy);
        }
    }
}
