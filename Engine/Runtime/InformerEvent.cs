using GitOrch.Engine.Store;

namespace GitOrch.Engine.Runtime;

/// <summary>A change the informer applied to its cache: <see cref="Old"/> is null on add, <see cref="New"/> is null on delete. Both are shared views: never mutate.</summary>
public readonly record struct InformerEvent<T>(WatchEventType Type, T? Old, T? New)
{
    /// <summary>The object as it is now, or as it was when deleted.</summary>
    public T Object => (New ?? Old)!;
}
