using System.Text.Json.Serialization;
using GitOrch.Api.Model;

namespace GitOrch.Engine.Sources.Planning;

/// <summary>One step of a plan, in the shape the plan subresource returns it.</summary>
public sealed class PlannedChange
{
    public PlanAction Action { get; init; }
    public string ApiVersion { get; init; } = "";
    public string Kind { get; init; } = "";
    public string? Namespace { get; init; }
    public string Name { get; init; } = "";
    public string? File { get; init; }

    /// <summary>Why: "new in Git", "changed in Git", "drifted", "removed from Git".</summary>
    public string? Reason { get; init; }
    public List<FieldChange>? Changes { get; init; }

    [JsonIgnore]
    public ResourceKind ResourceKind { get; init; } = ResourceKinds.ConfigMap;

    [JsonIgnore]
    public DesiredObject? Desired { get; init; }

    /// <summary>For updates: the live object the update is based on (its resourceVersion guards the write).</summary>
    [JsonIgnore]
    public KubeObject? Live { get; init; }
}
