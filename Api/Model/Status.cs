using System.Collections.Generic;

namespace GitOrch.Api.Model;

/// <summary>The Kubernetes error (and success) envelope: every failed API call answers with one.</summary>
public sealed class Status : Extensible
{
    public string ApiVersion { get; set; } = "v1";
    public string Kind { get; set; } = "Status";
    public ListMeta Metadata { get; set; } = new();
    /// <summary>Success or Failure.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("status")]
    public string? Outcome { get; set; }
    public string? Message { get; set; }
    /// <summary>NotFound, AlreadyExists, Conflict, Invalid, BadRequest, Unauthorized, Forbidden, Gone, UnsupportedMediaType, ...</summary>
    public string? Reason { get; set; }
    public StatusDetails? Details { get; set; }
    public int Code { get; set; }
}

public sealed class StatusDetails : Extensible
{
    public string? Name { get; set; }
    public string? Group { get; set; }
    public string? Kind { get; set; }
    public string? Uid { get; set; }
    public List<StatusCause>? Causes { get; set; }
}

public sealed class StatusCause : Extensible
{
    /// <summary>FieldValueInvalid, FieldValueRequired, ...</summary>
    public string? Reason { get; set; }
    public string? Message { get; set; }
    public string? Field { get; set; }
}
