namespace GitOrch.Engine.Controllers.Autoscaling;

/// <summary>The inputs of one normalization step (upstream's NormalizationArg).</summary>
public sealed record NormalizationArgs(ScalingRules ScaleUp, ScalingRules ScaleDown, int MinReplicas, int MaxReplicas, int CurrentReplicas, int DesiredReplicas);

/// <summary>
/// A normalized count with the AbleToScale reason of the stabilization and the ScalingLimited verdict of the rate
/// limits and bounds, in upstream's words.
/// </summary>
public sealed record Normalization(int Replicas, string AbleToScaleReason, string AbleToScaleMessage, bool Limited, string LimitedReason, string LimitedMessage);
