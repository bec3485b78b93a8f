namespace GitOrch.Engine.Controllers.Autoscaling;

/// <summary>The knobs of Kubernetes' replica calculator, with kube-controller-manager's defaults.</summary>
public sealed record ReplicaCalculatorOptions
{
    /// <summary>Ratios within 1 +- this leave the count alone (<c>--horizontal-pod-autoscaler-tolerance</c>, 0.1).</summary>
    public double Tolerance { get; init; } = 0.1;

    /// <summary>After a Pod starts, CPU samples taken before it was ready are not trusted (<c>--horizontal-pod-autoscaler-cpu-initialization-period</c>, 5 min).</summary>
    public TimeSpan CpuInitializationPeriod { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A Pod that turned unready this soon after its start is still taken as starting up (<c>--horizontal-pod-autoscaler-initial-readiness-delay</c>, 30 s).</summary>
    public TimeSpan InitialReadinessDelay { get; init; } = TimeSpan.FromSeconds(30);
}
