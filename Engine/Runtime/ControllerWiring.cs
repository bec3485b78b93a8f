using GitOrch.Api.Model;

namespace GitOrch.Engine.Runtime;

/// <summary>How a reconciler says which informer changes wake which keys (controller-runtime's For / Owns / Watches).</summary>
public sealed class ControllerWiring
{
    private readonly Action<ObjectKey> _enqueue;
    private readonly Action<ObjectKey, TimeSpan>? _enqueueAfter;
    private readonly TimeSpan _childDelay;
    private readonly List<IInformer> _informers = new();
    private readonly List<Func<IEnumerable<ObjectKey>>> _initial = new();

    public ControllerWiring(Action<ObjectKey> enqueue, Action<ObjectKey, TimeSpan>? enqueueAfter = null, TimeSpan childDelay = default)
    {
        _enqueue = enqueue;
        _enqueueAfter = enqueueAfter;
        _childDelay = childDelay;
    }

    /// <summary>Informers the controller waits for before its first reconcile.</summary>
    public IReadOnlyList<IInformer> Informers => _informers;

    /// <summary>Keys every controller start reconciles once, whatever happened while it was down.</summary>
    public IEnumerable<ObjectKey> InitialKeys() => _initial.SelectMany(f => f());

    /// <summary>Every change of the root kind enqueues that object's key; every object is reconciled once at start.</summary>
    public ControllerWiring For<T>(Informer<T> informer) where T : KubeObject
    {
        OnStart(() => informer.List().Select(ObjectKey.Of));
        return Watches(informer, e => new[] { ObjectKey.Of(e.Object) });
    }

    /// <summary>
    /// <see cref="For{T}(Informer{T})"/> for the changes <paramref name="predicate"/> lets through (see <see cref="WatchPredicates"/>);
    /// every object is still reconciled once at start.
    /// </summary>
    public ControllerWiring For<T>(Informer<T> informer, Func<InformerEvent<T>, bool> predicate) where T : KubeObject
    {
        OnStart(() => informer.List().Select(ObjectKey.Of));
        return Watches(informer, e => predicate(e) ? new[] { ObjectKey.Of(e.Object) } : Array.Empty<ObjectKey>());
    }

    /// <summary>Queues a key now, from outside any informer (a webhook, "reconcile now"): the channel source of controller-runtime.</summary>
    public void Enqueue(ObjectKey key) => _enqueue(key);

    /// <summary>Adds keys to reconcile at start (after the caches synced).</summary>
    public ControllerWiring OnStart(Func<IEnumerable<ObjectKey>> keys)
    {
        _initial.Add(keys);
        return this;
    }

    /// <summary>Waits for this informer's sync before the first reconcile, without mapping its events.</summary>
    public ControllerWiring Uses(IInformer informer)
    {
        _informers.Add(informer);
        return this;
    }

    /// <summary>Kind-independent <see cref="Watches{T}"/>, for controllers that watch every kind.</summary>
    public ControllerWiring WatchesObjects(IInformer informer, Func<InformerEvent<KubeObject>, IEnumerable<ObjectKey>> map)
    {
        _informers.Add(informer);
        informer.AddObjectHandler(e =>
        {
            foreach (var key in map(e))
            {
                _enqueue(key);
            }
        });
        return this;
    }

    /// <summary>
    /// A change of a child enqueues its controller owner of kind <paramref name="ownerKind"/> (old and new owner, if it
    /// moved), after <see cref="ControllerOptions.ChildEventDelay"/>: a burst of child changes (10,000 Pods starting)
    /// becomes a few reconciles of the owner instead of one per child.
    /// </summary>
    public ControllerWiring Owns<T>(Informer<T> informer, string ownerKind) where T : KubeObject
    {
        if (_enqueueAfter == null || _childDelay <= TimeSpan.Zero)
        {
            return Watches(informer, e => OwnersOf(e, ownerKind));
        }

        _informers.Add(informer);
        informer.AddHandler(e =>
        {
            foreach (var key in OwnersOf(e, ownerKind))
            {
                _enqueueAfter(key, _childDelay);
            }
        });
        return this;
    }

    /// <summary>Any mapping from a change to keys.</summary>
    public ControllerWiring Watches<T>(Informer<T> informer, Func<InformerEvent<T>, IEnumerable<ObjectKey>> map) where T : KubeObject
    {
        _informers.Add(informer);
        informer.AddHandler(e =>
        {
            foreach (var key in map(e))
            {
                _enqueue(key);
            }
        });
        return this;
    }

    private static IEnumerable<ObjectKey> OwnersOf<T>(InformerEvent<T> e, string ownerKind) where T : KubeObject
    {
        var oldOwner = e.Old is null ? null : WellKnownIndexes.ControllerOf(e.Old);
        var newOwner = e.New is null ? null : WellKnownIndexes.ControllerOf(e.New);
        if (newOwner != null && newOwner.Kind == ownerKind)
        {
            yield return new ObjectKey(e.Object.Metadata.Namespace, newOwner.Name);
        }

        if (oldOwner != null && oldOwner.Kind == ownerKind && oldOwner.Uid != newOwner?.Uid)
        {
            yield return new ObjectKey(e.Object.Metadata.Namespace, oldOwner.Name);
        }
    }
}
