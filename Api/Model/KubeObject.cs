using System;
using System.Text.Json.Serialization;

namespace GitOrch.Api.Model;

/// <summary>Every stored object: apiVersion, kind and metadata, as Kubernetes writes them.</summary>
public abstract class KubeObject : Extensible
{
    [JsonPropertyOrder(-3)]
    public string? ApiVersion { get; set; }

    [JsonPropertyOrder(-2)]
    public string? Kind { get; set; }

    [JsonPropertyOrder(-1)]
    public ObjectMeta Metadata { get; set; } = new();

    [JsonIgnore]
    public string Name => Metadata.Name ?? "";

    [JsonIgnore]
    public string? Namespace => Metadata.Namespace;
}

/// <summary>An object with the usual spec/status pair; the store uses it to tell spec changes from status changes.</summary>
public abstract class KubeObject<TSpec, TStatus> : KubeObject, IHasSpecAndStatus
    where TSpec : class, new()
    where TStatus : class, new()
{
    public TSpec? Spec { get; set; }
    public TStatus? Status { get; set; }

    // Explicit, so neither the wire format nor IntelliSense on a typed object shows them.
    Type IHasSpecAndStatus.SpecType => typeof(TSpec);

    Type IHasSpecAndStatus.StatusType => typeof(TStatus);

    object? IHasSpecAndStatus.SpecValue => Spec;

    object? IHasSpecAndStatus.StatusValue
    {
        get => Status;
        set => Status = (TStatus?)value;
    }
}
