using GitOrch.Api.Model;

namespace GitOrch.Engine.Store;

public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
}

/// <summary>A committed change, as watchers see it. The object is shared between watchers: read it, never mutate it.</summary>
public sealed record StoreEvent(WatchEventType Type, StoredObject Object)
{
    public long Revision => Object.Revision;

    /// <summary>The node the Pod was on before this change, when that differs from <see cref="StoredObject.NodeName"/>: its old node's watchers must see it leave.</summary>
    public string? PreviousNodeName { get; init; }

    public string TypeName => Type switch
    {
        WatchEventType.Added => "ADDED",
        WatchEventType.Modified => "MODIFIED",
        _ => "DELETED",
    };
}
