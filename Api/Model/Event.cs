using System;

namespace GitOrch.Api.Model;

public sealed class Event : KubeObject
{
    public ObjectReference InvolvedObject { get; set; } = new();
    public string? Reason { get; set; }
    public string? Message { get; set; }
    public EventSource? Source { get; set; }
    public DateTimeOffset? FirstTimestamp { get; set; }
    public DateTimeOffset? LastTimestamp { get; set; }
    public int? Count { get; set; }
    /// <summary>Normal or Warning.</summary>
    public string? Type { get; set; }
    public string? ReportingComponent { get; set; }
}

public sealed class EventSource : Extensible
{
    public string? Component { get; set; }
    public string? Host { get; set; }
}
