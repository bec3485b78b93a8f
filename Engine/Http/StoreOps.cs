using System.Collections.Concurrent;
using GitOrch.Api.Model;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Http;

/// <summary>
/// Calls the store's generic write methods for an object whose kind is only known at run time (from the URL),
/// so the HTTP layer takes exactly the same path as typed callers (controllers) do.
/// </summary>
internal static class StoreOps
{
    private static readonly ConcurrentDictionary<Type, Ops> ByType = new();

    public static Task<KubeObject> CreateAsync(IObjectStore store, KubeObject obj, CancellationToken cancellationToken, bool dryRun = false)
        => dryRun ? DryRunAsync(store, StoreVerb.Create, obj, null, cancellationToken) : For(obj).CreateAsync(store, obj, cancellationToken);

    public static Task<KubeObject> UpdateAsync(IObjectStore store, KubeObject obj, CancellationToken cancellationToken, bool dryRun = false)
        => dryRun ? DryRunAsync(store, StoreVerb.Update, obj, null, cancellationToken) : For(obj).UpdateAsync(store, obj, cancellationToken);

    public static Task<KubeObject> UpdateStatusAsync(IObjectStore store, KubeObject obj, CancellationToken cancellationToken, bool dryRun = false)
        => dryRun ? DryRunAsync(store, StoreVerb.UpdateStatus, obj, null, cancellationToken) : For(obj).UpdateStatusAsync(store, obj, cancellationToken);

    public static Task<KubeObject> DeleteAsync(IObjectStore store, ResourceKind kind, string? ns, string name, DeleteOptions? options, CancellationToken cancellationToken, bool dryRun = false)
    {
        if (!dryRun)
        {
            return store.DeleteAsync(kind, ns, name, options, cancellationToken);
        }

        var stub = (KubeObject)Activator.CreateInstance(kind.Type)!;
        stub.Metadata = new ObjectMeta { Name = name, Namespace = kind.Namespaced ? ns ?? "default" : null };
        return DryRunAsync(store, StoreVerb.Delete, stub, options, cancellationToken);
    }

    /// <summary>The same write through the store's batch entry point, marked so that validation and admission run and nothing is kept.</summary>
    private static async Task<KubeObject> DryRunAsync(IObjectStore store, StoreVerb verb, KubeObject obj, DeleteOptions? options, CancellationToken cancellationToken)
        => (await store.CommitAsync([new StoreWrite(verb, obj, options) { DryRun = true }], cancellationToken))[0];

    private static Ops For(KubeObject obj) => ByType.GetOrAdd(obj.GetType(), t => (Ops)Activator.CreateInstance(typeof(Ops<>).MakeGenericType(t))!);

    private abstract class Ops
    {
        public abstract Task<KubeObject> CreateAsync(IObjectStore store, KubeObject obj, CancellationToken cancellationToken);

        public abstract Task<KubeObject> UpdateAsync(IObjectStore store, KubeObject obj, CancellationToken cancellationToken);

        public abstract Task<KubeObject> UpdateStatusAsync(IObjectStore store, KubeObject obj, CancellationToken cancellationToken);
    }

    private sealed class Ops<T> : Ops
        where T : KubeObject
    {
        public override async Task<KubeObject> CreateAsync(IObjectStore store, KubeObject obj, CancellationToken cancellationToken)
            => await store.CreateAsync((T)obj, cancellationToken);

        public override async Task<KubeObject> UpdateAsync(IObjectStore store, KubeObject obj, CancellationToken cancellationToken)
            => await store.UpdateAsync((T)obj, cancellationToken);

        public override async Task<KubeObject> UpdateStatusAsync(IObjectStore store, KubeObject obj, CancellationToken cancellationToken)
            => await store.UpdateStatusAsync((T)obj, cancellationToken);
    }
}
