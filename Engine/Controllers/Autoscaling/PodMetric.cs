namespace GitOrch.Engine.Controllers.Autoscaling;

/// <summary>
/// One Pod's usage of one resource, in milli-units (millicores for cpu, millibytes for memory, as upstream's metrics
/// client hands them over), and when and over what window it was measured.
/// </summary>
public sealed record PodMetric(long Milli, DateTimeOffset Timestamp, TimeSpan Window);
