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

    public static Task<KubeObject> CreateAsync(IObjectStore store, KubeObject obj, CancellationToken cancellationToken)
        => For(obj).CreateAsync(store, obj, cancellationToken);

    public static Task<KubeObject> UpdateAsync(IObjectStore store, KubeObject obj, CancellationToken cancellationToken)
        => For(obj).UpdateAsync(store, obj, cancellationToken);

    public static Task<KubeObject> UpdateStatusAsync(IObjectStore store, KubeObject obj, CancellationToken cancellationToken)
        => For(obj).UpdateStatusAsync(store, obj, cancellationToken);

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
