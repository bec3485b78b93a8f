namespace GitOrch.Engine.Controllers.Autoscaling;

/// <summary>The HorizontalPodAutoscaler controller's settings (kube-controller-manager's <c>--horizontal-pod-autoscaler-*</c> flags).</summary>
public sealed class AutoscalingOptions
{
    /// <summary>
    /// How often each HPA is evaluated. Default 3 s, not upstream's 15 s: agents sample every second and the Engine
    /// scrapes every second, so a faster loop turns into a faster reaction rather than into noise.
    /// </summary>
    public TimeSpan SyncPeriod { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Scale-down stabilization window of an HPA that does not set one. Default 300 s, as upstream.</summary>
    public TimeSpan DownscaleStabilization { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Tolerance, CPU initialization period and initial readiness delay (upstream defaults).</summary>
    public ReplicaCalculatorOptions Calculator { get; set; } = new();
}
