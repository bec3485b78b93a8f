using GitOrch.Api.Model;

namespace GitOrch.Engine.Runtime;

/// <summary>
/// One reconciler per root kind. To add a controller:
/// <list type="number">
/// <item>Write a sealed class implementing <see cref="IReconciler"/>; take <see cref="SharedInformers"/>, the store and
/// whatever else it needs in the constructor.</item>
/// <item>In <see cref="Watch"/> say which changes enqueue which keys: <c>wiring.For(informers.Get&lt;Job&gt;())</c> for the root kind,
/// <c>wiring.Owns(informers.Get&lt;Pod&gt;(), "Job")</c> for children it creates.</item>
/// <item>In <see cref="ReconcileAsync"/> read the object from the informer cache (gone: return Done), drive the world toward its spec,
/// write status, and return Done, After(delay), Error(...) or Terminal(...). Never branch on the kind of event that woke you.</item>
/// <item>Register it: <c>services.AddReconciler&lt;JobReconciler&gt;()</c> (see <c>ControllerServiceCollectionExtensions</c>).</item>
/// </list>
/// The runtime guarantees one key is never reconciled by two workers at once, so a reconciler needs no locks of its own
/// for the object it was given.
/// </summary>
public interface IReconciler
{
    /// <summary>Controller name for logs and metrics ("deployment").</summary>
    string Name { get; }

    /// <summary>The root kind this reconciler owns (log scope).</summary>
    ResourceKind Kind { get; }

    /// <summary>Declares which informer changes enqueue which keys. Called once before the workers start.</summary>
    void Watch(ControllerWiring wiring);

    Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken);
}
