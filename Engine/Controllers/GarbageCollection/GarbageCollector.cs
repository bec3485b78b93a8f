using GitOrch.Api.Model;
using GitOrch.Api.Retry;
using GitOrch.Engine.Controllers.Common;
using GitOrch.Engine.Runtime;
using GitOrch.Engine.Store;
using Microsoft.Extensions.Logging;

namespace GitOrch.Engine.Controllers.GarbageCollection;

/// <summary>
/// Deletes what nobody owns any more, as Kubernetes' garbage collector does, over every kind:
/// <list type="bullet">
/// <item>Background (default): an object whose owners are all gone is deleted; owners that are gone are dropped from
/// an object that still has others.</item>
/// <item>Foreground: an owner deleted with propagationPolicy=Foreground carries the <c>foregroundDeletion</c>
/// finalizer; its dependents are deleted (foreground too) and the finalizer removed when the last one is gone.</item>
/// <item>Orphan: the <c>orphan</c> finalizer: dependents lose their reference to the owner, then the finalizer goes.</item>
/// <item>Namespaces: a Namespace being deleted (finalizer <c>kubernetes</c>) has everything in it deleted, then the
/// finalizer removed.</item>
/// </list>
/// The store adds those finalizers on delete; this controller removes them. Keys carry the kind (<see cref="ObjectKey.Kind"/>).
/// </summary>
public sealed partial class GarbageCollector : IReconciler
{
    public const string ForegroundFinalizer = "foregroundDeletion";
    public const string OrphanFinalizer = "orphan";
    public const string NamespaceFinalizer = "kubernetes";

    private readonly IObjectStore _store;
    private readonly Dictionary<ResourceKind, IInformer> _informers;
    private readonly ILogger<GarbageCollector> _logger;

    public GarbageCollector(IObjectStore store, SharedInformers informers, ILogger<GarbageCollector> logger)
    {
        _store = store;
        _logger = logger;
        _informers = ResourceKinds.All.ToDictionary(k => k, informers.Get);
    }

    public string Name => "garbage-collector";

    public ResourceKind Kind => ResourceKinds.Namespace;

    public void Watch(ControllerWiring wiring)
    {
        foreach (var informer in _informers.Values)
        {
            wiring.WatchesObjects(informer, Map);
        }

        wiring.OnStart(() => _informers.Values.SelectMany(i => i.ListObjects())
            .Where(o => o.Metadata.OwnerReferences is { Count: > 0 } || o.Metadata.DeletionTimestamp != null)
            .Select(ObjectKey.WithKind));
    }

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var kind = key.Kind ?? ResourceKinds.Namespace;
        // The cache decides whether there is work; every write below re-reads the store.
        var obj = _informers[kind].GetObject(key.Namespace, key.Name);
        if (obj == null)
        {
            return ReconcileResult.Done;
        }

        var finalizers = obj.Metadata.Finalizers ?? new List<string>();
        if (obj.Metadata.DeletionTimestamp != null)
        {
            if (obj is Namespace && finalizers.Contains(NamespaceFinalizer))
            {
                return await DrainNamespaceAsync(obj, cancellationToken).ConfigureAwait(false);
            }

            if (finalizers.Contains(OrphanFinalizer))
            {
                return await OrphanDependentsAsync(obj, cancellationToken).ConfigureAwait(false);
            }

            if (finalizers.Contains(ForegroundFinalizer))
            {
                return await DeleteDependentsAsync(obj, cancellationToken).ConfigureAwait(false);
            }
        }

        if (obj.Metadata.OwnerReferences is { Count: > 0 })
        {
            return await CheckOwnersAsync(kind, obj, cancellationToken).ConfigureAwait(false);
        }

        return ReconcileResult.Done;
    }

    private IEnumerable<ObjectKey> Map(InformerEvent<KubeObject> e)
    {
        var obj = e.Object;
        if (e.Type == WatchEventType.Deleted)
        {
            foreach (var dep in Dependents(obj.Metadata.Uid!))
            {
                yield return ObjectKey.WithKind(dep);
            }

            // An owner in foreground deletion waits for this dependent to go.
            foreach (var r in obj.Metadata.OwnerReferences ?? Enumerable.Empty<OwnerReference>())
            {
                if (ResourceKinds.TryFind(r.ApiVersion, r.Kind, out var ownerKind))
                {
                    yield return new ObjectKey(ownerKind.Namespaced ? obj.Metadata.Namespace : null, r.Name, ownerKind);
                }
            }

            // A terminating namespace waits for its last object.
            if (obj.Metadata.Namespace is { } ns && _informers[ResourceKinds.Namespace].GetObject(null, ns) is { Metadata.DeletionTimestamp: not null })
            {
                yield return new ObjectKey(null, ns, ResourceKinds.Namespace);
            }

            yield break;
        }

        if (obj.Metadata.DeletionTimestamp != null && obj.Metadata.Finalizers is { Count: > 0 } f
            && (f.Contains(ForegroundFinalizer) || f.Contains(OrphanFinalizer) || f.Contains(NamespaceFinalizer)))
        {
            yield return ObjectKey.WithKind(obj);
            yield break;
        }

        // Owners are checked when references appear or change, not on every status write.
        if (obj.Metadata.OwnerReferences is { Count: > 0 } refs && (e.Old == null || !SameOwners(e.Old.Metadata.OwnerReferences, refs)))
        {
            yield return ObjectKey.WithKind(obj);
        }
    }

    private IEnumerable<KubeObject> Dependents(string uid)
        => _informers.Values.SelectMany(i => i.ObjectsByIndex(WellKnownIndexes.OwnerUid, uid));

    private async Task<ReconcileResult> CheckOwnersAsync(ResourceKind kind, KubeObject obj, CancellationToken ct)
    {
        var refs = obj.Metadata.OwnerReferences!;
        var absent = new List<OwnerReference>();
        foreach (var r in refs)
        {
            if (!ResourceKinds.TryFind(r.ApiVersion, r.Kind, out var ownerKind))
            {
                // An owner of a kind we do not serve is never presumed gone.
                continue;
            }

            var ns = ownerKind.Namespaced ? obj.Metadata.Namespace : null;
            var cached = _informers[ownerKind].GetObject(ns, r.Name);
            if (cached?.Metadata.Uid == r.Uid)
            {
                continue;
            }

            // The cache may lag behind a just-created owner: ask the store before deleting anything.
            var live = _store.Get(ownerKind, ns, r.Name);
            if (live?.Metadata.Uid != r.Uid)
            {
                absent.Add(r);
            }
        }

        if (absent.Count == 0)
        {
            return ReconcileResult.Done;
        }

        if (absent.Count == refs.Count)
        {
            if (obj.Metadata.DeletionTimestamp == null)
            {
                Log.Collecting(_logger, kind.Kind, obj.Metadata.Namespace, obj.Metadata.Name!, absent[0].Kind, absent[0].Name);
                await DeleteQuietlyAsync(kind, obj, "Background", ct).ConfigureAwait(false);
            }

            return ReconcileResult.Done;
        }

        var copy = _store.Get(kind, obj.Metadata.Namespace, obj.Metadata.Name!);
        if (copy == null || copy.Metadata.Uid != obj.Metadata.Uid)
        {
            return ReconcileResult.Done;
        }

        foreach (var r in absent)
        {
            Owners.Release(copy, r.Uid);
        }

        await _store.UpdateAsync(copy, ct).ConfigureAwait(false);
        return ReconcileResult.Done;
    }

    private async Task<ReconcileResult> OrphanDependentsAsync(KubeObject owner, CancellationToken ct)
    {
        var uid = owner.Metadata.Uid!;
        foreach (var dep in Dependents(uid).ToList())
        {
            var kind = ResourceKinds.Of(dep);
            var live = _store.Get(kind, dep.Metadata.Namespace, dep.Metadata.Name!);
            if (live != null && Owners.Release(live, uid))
            {
                await _store.UpdateAsync(live, ct).ConfigureAwait(false);
            }
        }

        var ownerKind = ResourceKinds.Of(owner).Kind;
        Log.Orphaned(_logger, ownerKind, owner.Metadata.Namespace, owner.Metadata.Name!);
        await RemoveFinalizerAsync(owner, OrphanFinalizer, ct).ConfigureAwait(false);
        return ReconcileResult.Done;
    }

    private async Task<ReconcileResult> DeleteDependentsAsync(KubeObject owner, CancellationToken ct)
    {
        var remaining = 0;
        foreach (var dep in Dependents(owner.Metadata.Uid!).ToList())
        {
            var kind = ResourceKinds.Of(dep);
            var live = _store.Get(kind, dep.Metadata.Namespace, dep.Metadata.Name!);
            if (live == null || live.Metadata.OwnerReferences?.Any(r => r.Uid == owner.Metadata.Uid) != true)
            {
                continue;
            }

            remaining++;
            if (live.Metadata.DeletionTimestamp == null)
            {
                await DeleteQuietlyAsync(kind, live, "Foreground", ct).ConfigureAwait(false);
            }
        }

        if (remaining > 0)
        {
            // Each dependent's deletion wakes this owner again; the poll only covers a missed wake-up.
            return ReconcileResult.After(TimeSpan.FromSeconds(5));
        }

        await RemoveFinalizerAsync(owner, ForegroundFinalizer, ct).ConfigureAwait(false);
        return ReconcileResult.Done;
    }

    private async Task<ReconcileResult> DrainNamespaceAsync(KubeObject ns, CancellationToken ct)
    {
        var name = ns.Metadata.Name!;
        var left = 0;
        foreach (var kind in ResourceKinds.All.Where(k => k.Namespaced))
        {
            string? cont = null;
            do
            {
                var page = _store.ListPage(kind, name, null, null, 1000, cont);
                var writes = new List<StoreWrite>();
                foreach (var s in page.Items)
                {
                    left++;
                    if (s.Shared.Metadata.DeletionTimestamp == null)
                    {
                        writes.Add(new StoreWrite(StoreVerb.Delete, s.Shared, new DeleteOptions { Uid = s.Shared.Metadata.Uid }));
                    }
                }

                await CommitQuietlyAsync(writes, ct).ConfigureAwait(false);
                cont = page.Continue;
            }
            while (!string.IsNullOrEmpty(cont));
        }

        if (left > 0)
        {
            Log.Draining(_logger, name, left);

            // Objects with finalizers of their own go when those are done; their deletion wakes this namespace.
            return ReconcileResult.After(TimeSpan.FromSeconds(5));
        }

        await RemoveFinalizerAsync(ns, NamespaceFinalizer, ct).ConfigureAwait(false);
        return ReconcileResult.Done;
    }

    private async Task RemoveFinalizerAsync(KubeObject obj, string finalizer, CancellationToken ct)
    {
        var kind = ResourceKinds.Of(obj);
        try
        {
            await ConflictRetry.RunAsync(StoreException.IsConflictError, async token =>
            {
                var live = _store.Get(kind, obj.Metadata.Namespace, obj.Metadata.Name!);
                if (live?.Metadata.Finalizers != null && live.Metadata.Finalizers.Remove(finalizer))
                {
                    await _store.UpdateAsync(live, token).ConfigureAwait(false);
                }
            }, ct).ConfigureAwait(false);
        }
        catch (StoreException e) when (e.IsNotFound || e.IsConflict)
        {
            // Gone, or still contended after every attempt: the next pass over the object tries again.
        }
    }

    private async Task DeleteQuietlyAsync(ResourceKind kind, KubeObject obj, string policy, CancellationToken ct)
    {
        try
        {
            await _store.DeleteAsync(kind, obj.Metadata.Namespace, obj.Metadata.Name!, new DeleteOptions { PropagationPolicy = policy, Uid = obj.Metadata.Uid }, ct).ConfigureAwait(false);
        }
        catch (StoreException e) when (e.IsNotFound || e.IsConflict)
        {
        }
    }

    /// <summary>Deletes a batch in one transaction; if one of them is already gone, one by one.</summary>
    private async Task CommitQuietlyAsync(List<StoreWrite> writes, CancellationToken ct)
    {
        if (writes.Count == 0)
        {
            return;
        }

        try
        {
            await _store.CommitAsync(writes, ct).ConfigureAwait(false);
        }
        catch (StoreException)
        {
            foreach (var w in writes)
            {
                try
                {
                    await _store.CommitAsync(new[] { w }, ct).ConfigureAwait(false);
                }
                catch (StoreException e) when (e.IsNotFound || e.IsConflict)
                {
                }
            }
        }
    }

    private static bool SameOwners(List<OwnerReference>? a, List<OwnerReference> b)
        => a != null && a.Count == b.Count && a.Select(r => r.Uid).SequenceEqual(b.Select(r => r.Uid));

    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Debug, Message = "Deleting {Kind} {Namespace}/{Name}: its owner {OwnerKind} {OwnerName} is gone")]
        public static partial void Collecting(ILogger logger, string kind, string? @namespace, string name, string ownerKind, string ownerName);

        [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Orphaned the dependents of {Kind} {Namespace}/{Name}")]
        public static partial void Orphaned(ILogger logger, string kind, string? @namespace, string name);

        [LoggerMessage(EventId = 5003, Level = LogLevel.Debug, Message = "Namespace {Namespace} is terminating: {Count} objects left")]
        public static partial void Draining(ILogger logger, string @namespace, int count);
    }
}
