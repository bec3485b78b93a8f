using GitOrch.Api.Model;

namespace GitOrch.Tests.Infrastructure.Autoscaling;

/// <summary>
/// A Deployment of busybox containers that burn a core (<c>while :; do :; done</c>) while a switch file exists in a
/// hostPath folder, and sleep otherwise: load can be started and stopped for every replica at once. Plus its HPA.
/// </summary>
public static class CpuBurner
{
    public const string SwitchFile = "burn";

    public static Deployment Deployment(string name, string switchDir, string image) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "default" },
        Spec = new DeploymentSpec
        {
            Replicas = 1,
            Selector = new LabelSelector { MatchLabels = new() { ["app"] = name } },
            Template = new PodTemplateSpec
            {
                Metadata = new ObjectMeta { Labels = new() { ["app"] = name } },
                Spec = new PodSpec
                {
                    TerminationGracePeriodSeconds = 1,
                    Volumes = [new Volume { Name = "ctl", HostPath = new HostPathVolumeSource { Path = switchDir } }],
                    Containers =
                    [
                        new Container
                        {
                            Name = "main",
                            Image = image,
                            ImagePullPolicy = "IfNotPresent",
                            Command = ["sh", "-c", $"while :; do if [ -f /ctl/{SwitchFile} ]; then :; else sleep 1; fi; done"],
                            Resources = new ResourceRequirements { Requests = new() { ["cpu"] = Quantity.Parse("100m") } },
                            VolumeMounts = [new VolumeMount { Name = "ctl", MountPath = "/ctl" }],
                        },
                    ],
                },
            },
        },
    };

    /// <summary>HPA at 50 % CPU, 1 to 4 replicas, with a 10 s scale-down window (the benchmark's settings).</summary>
    public static HorizontalPodAutoscaler Hpa(string name) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "default" },
        Spec = new HorizontalPodAutoscalerSpec
        {
            ScaleTargetRef = new CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = name },
            MinReplicas = 1,
            MaxReplicas = 4,
            Metrics = [new MetricSpec { Type = AutoscalingWords.ResourceMetric, Resource = new ResourceMetricSource { Name = "cpu", Target = new MetricTarget { Type = AutoscalingWords.Utilization, AverageUtilization = 50 } } }],
            Behavior = new HorizontalPodAutoscalerBehavior { ScaleDown = new HPAScalingRules { StabilizationWindowSeconds = 10 } },
        },
    };
}
