namespace GitOrch.Engine.Controllers.Autoscaling;

/// <summary>
/// What <see cref="ReplicaCalculator"/> proposes for one metric: the replica count, the current utilization (percent
/// of requests; null for AverageValue targets) and the raw average per Pod (milli-units) reported in status.
/// </summary>
public sealed record ReplicaCalculation(int Replicas, int? Utilization, long AverageMilli, DateTimeOffset Timestamp);
