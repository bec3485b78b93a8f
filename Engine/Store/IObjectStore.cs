using GitOrch.Api.Model;
using GitOrch.Api.Selectors;

namespace GitOrch.Engine.Store;

/// <summary>
/// The Engine's single source of desired and observed state. The HTTP API, every controller, the
/// scheduler and the source controller read and write through it, so they all get the same rules:
/// one global revision per write, generation on spec change, optimistic concurrency, finalizers.
/// Objects returned are private copies: mutate them freely and write them back.
/// </summary>
public interface IObjectStore
{
    /// <summary>The revision of the last committed write.</summary>
    long Revision { get; }

    T? Get<T>(string? ns, string name) where T : KubeObject;

    KubeObject? Get(ResourceKind kind, string? ns, string name);

    /// <summary>Objects of a kind in one namespace (null: all), filtered by labels and an optional predicate, ordered by namespace/name.</summary>
    IReadOnlyList<T> List<T>(string? ns = null, Selector? labels = null, Func<T, bool>? where = null) where T : KubeObject;

    /// <summary>A page of a list, as the HTTP API serves it (<c>limit</c>/<c>continue</c>).</summary>
    ListPage ListPage(ResourceKind kind, string? ns, Selector? labels, Func<KubeObject, bool>? where, int limit, string? continueToken);

    /// <summary>Creates; assigns uid, creationTimestamp, generation 1 and resourceVersion. AlreadyExists if the name is taken.</summary>
    Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken = default) where T : KubeObject;

    /// <summary>Replaces metadata and spec, keeping status. If <c>metadata.resourceVersion</c> is set and stale: Conflict.</summary>
    Task<T> UpdateAsync<T>(T obj, CancellationToken cancellationToken = default) where T : KubeObject;

    /// <summary>Replaces status only (the <c>status</c> subresource). Same concurrency rule as update.</summary>
    Task<T> UpdateStatusAsync<T>(T obj, CancellationToken cancellationToken = default) where T : KubeObject;

    /// <summary>
    /// Deletes. With finalizers the object only gets a deletionTimestamp and goes when the last finalizer is removed.
    /// Returns the object as it was at deletion (or as marked), or NotFound.
    /// </summary>
    Task<KubeObject> DeleteAsync(ResourceKind kind, string? ns, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Several writes committed atomically in one transaction: all or none.</summary>
    Task<IReadOnlyList<KubeObject>> CommitAsync(IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes after <paramref name="fromRevision"/> (0: from now on) of one kind (null: all), in revision order.
    /// Throws Gone if that revision has left the in-memory change log. Dispose to stop.
    /// </summary>
    IStoreWatch Watch(ResourceKind? kind, string? ns, long fromRevision);

    /// <summary>
    /// As <see cref="Watch(ResourceKind?, string?, long)"/>, offering only Pod changes on node
    /// <paramref name="nodeName"/> (its Pods, and Pods leaving it) when it is not null. An agent's watch is filtered by its node, and
    /// offering every watcher every Pod change cost the Engine watchers x changes work: with 200 agents, most of a
    /// 5,000-Pod rollout's CPU. Stores without an index offer everything; the caller filters anyway.
    /// With <paramref name="limits"/> (API clients), a watcher that stops reading is ended once its queue reaches
    /// them, with an error of <see cref="StoreException.FellBehind"/>, instead of pinning every later change.
    /// </summary>
    IStoreWatch Watch(ResourceKind? kind, string? ns, long fromRevision, string? nodeName, WatchLimits? limits = null) => Watch(kind, ns, fromRevision);

    /// <summary>
    /// Completes once reads from memory reflect every write acknowledged before the call, by any Engine (the HTTP
    /// API's get and list wait for it). One Engine owning its store is always there; a shared store (etcd) catches
    /// up to the datastore's current revision first, or answers at once from memory when the datastore is away.
    /// </summary>
    ValueTask SyncForReadAsync(CancellationToken cancellationToken) => default;
}

/// <summary>How much one watcher may leave unread before the store ends it (see <see cref="StoreOptions.ClientWatch"/>).</summary>
public sealed record WatchLimits(int MaxEvents, long MaxBytes);

public interface IStoreWatch : IDisposable
{
    System.Threading.Channels.ChannelReader<StoreEvent> Events { get; }
}

public sealed record ListPage(IReadOnlyList<StoredObject> Items, long Revision, string? Continue, long Remaining);

/// <summary>One write of a <see cref="IObjectStore.CommitAsync"/> batch.</summary>
public sealed record StoreWrite(StoreVerb Verb, KubeObject Object, DeleteOptions? Options = null)
{
    /// <summary>
    /// Validate and admit as usual and return what would be stored, but store nothing (no revision, no event):
    /// Kubernetes' <c>dryRun=All</c>. A batch with one dry-run write is a dry run as a whole.
    /// </summary>
    public bool DryRun { get; init; }
}

public enum StoreVerb
{
    Create,
    Update,
    UpdateStatus,
    Delete,
}

public sealed class DeleteOptions
{
    /// <summary>Background (default), Foreground or Orphan: how the garbage collector treats dependents.</summary>
    public string? PropagationPolicy { get; set; }

    /// <summary>Delete only if the stored object still has this resourceVersion.</summary>
    public string? ResourceVersion { get; set; }

    /// <summary>Delete only if the stored object has this uid.</summary>
    public string? Uid { get; set; }

    public long? GracePeriodSeconds { get; set; }
}
