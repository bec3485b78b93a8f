namespace GitOrch.Engine.Controllers.Autoscaling;

/// <summary>The replica count could not be computed from the metrics (upstream's FailedGetResourceMetric cases).</summary>
public sealed class ReplicaCalculationException(string message) : Exception(message)
{
}
