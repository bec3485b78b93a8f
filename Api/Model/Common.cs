using System;
using System.Collections.Generic;

namespace GitOrch.Api.Model;

/// <summary>A status condition (Ready, Available, Progressing, ...), as in the Kubernetes API conventions.</summary>
public sealed class Condition : Extensible
{
    public string Type { get; set; } = "";
    public string Status { get; set; } = "Unknown";
    public long? ObservedGeneration { get; set; }
    public DateTimeOffset? LastTransitionTime { get; set; }
    public DateTimeOffset? LastUpdateTime { get; set; }
    public DateTimeOffset? LastHeartbeatTime { get; set; }
    public DateTimeOffset? LastProbeTime { get; set; }
    public string? Reason { get; set; }
    public string? Message { get; set; }
}

public sealed class LabelSelector : Extensible
{
    public Dictionary<string, string>? MatchLabels { get; set; }
    public List<LabelSelectorRequirement>? MatchExpressions { get; set; }
}

public sealed class LabelSelectorRequirement : Extensible
{
    public string Key { get; set; } = "";
    /// <summary>In, NotIn, Exists, DoesNotExist.</summary>
    public string Operator { get; set; } = "";
    public List<string>? Values { get; set; }
}

public sealed class LocalObjectReference : Extensible
{
    public string? Name { get; set; }
}

public sealed class ObjectReference : Extensible
{
    public string? ApiVersion { get; set; }
    public string? Kind { get; set; }
    public string? Name { get; set; }
    public string? Namespace { get; set; }
    public string? Uid { get; set; }
    public string? ResourceVersion { get; set; }
    public string? FieldPath { get; set; }
}

public static class ConditionStatus
{
    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";
}
