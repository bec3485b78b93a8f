using System;
using GitOrch.Api.Model;

namespace GitOrch.Module.Results;

/// <summary>An Event: LAST SEEN TYPE REASON OBJECT MESSAGE.</summary>
public sealed class EventInfo : ResourceInfo<Event>
{
    public EventInfo(Event e)
        : base(e)
    {
        Type = e.Type ?? "Normal";
        Reason = e.Reason;
        Message = e.Message;
        Count = e.Count ?? 1;
        LastSeen = e.LastTimestamp ?? e.FirstTimestamp ?? e.Metadata.CreationTimestamp;
        InvolvedObject = (e.InvolvedObject.Kind ?? "").ToLowerInvariant() + "/" + e.InvolvedObject.Name;
    }

    public string Type { get; }

    public string? Reason { get; }

    /// <summary>"kind/name" of the object the event is about, as kubectl shows it.</summary>
    public string InvolvedObject { get; }

    public string? Message { get; }

    public int Count { get; }

    public DateTimeOffset? LastSeen { get; }

    public TimeSpan? LastSeenAge => Formatting.Age.Since(LastSeen);
}
