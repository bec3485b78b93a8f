using GitOrch.Api.Model;

namespace GitOrch.Engine.Runtime;

/// <summary>The kind-independent face of an informer: what hosts and controllers need to start it and wait for it.</summary>
public interface IInformer
{
    ResourceKind Kind { get; }

    bool HasSynced { get; }

    /// <summary>The store revision of the last change applied to the cache.</summary>
    long LastRevision { get; }

    /// <summary>Lists, then follows the change feed until cancelled.</summary>
    Task RunAsync(CancellationToken cancellationToken);

    /// <summary>Kind-independent subscription (for controllers that watch every kind, like the garbage collector).</summary>
    void AddObjectHandler(Action<InformerEvent<KubeObject>> handler);

    KubeObject? GetObject(string? ns, string name);

    IReadOnlyList<KubeObject> ListObjects(string? ns = null);

    IReadOnlyList<KubeObject> ObjectsByIndex(string index, string value);

    Task WaitForSyncAsync(CancellationToken cancellationToken);

    /// <summary>Waits until the cache reflects every change up to <paramref name="revision"/> (a write this process just made), or the timeout passes.</summary>
    Task WaitForRevisionAsync(long revision, TimeSpan timeout, CancellationToken cancellationToken);
}
