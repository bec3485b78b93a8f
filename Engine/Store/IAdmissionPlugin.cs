using GitOrch.Api.Model;

namespace GitOrch.Engine.Store;

/// <summary>
/// A rule that needs the store's current state to decide (allocating a Service's nodePort, refusing a duplicate).
/// It runs inside the committer, in order with every other write, so two writers can never both take the same value.
/// It may set fields of <paramref name="obj"/> and may throw a <see cref="StoreException"/> to refuse the write.
/// </summary>
public interface IAdmissionPlugin
{
    void Admit(StoreVerb verb, KubeObject obj, KubeObject? old, IStoreView view);
}

/// <summary>The committed state plus the writes already accepted ahead of this one. Objects are shared: read only.</summary>
public interface IStoreView
{
    IEnumerable<KubeObject> List(ResourceKind kind);
}
