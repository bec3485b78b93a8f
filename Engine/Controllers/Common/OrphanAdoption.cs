using GitOrch.Api.Model;
using GitOrch.Api.Selectors;
using GitOrch.Api.Serialization;
using GitOrch.Engine.Runtime;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Controllers.Common;

/// <summary>
/// Adopting Pods that lost their owner: a StatefulSet or DaemonSet deleted with propagationPolicy Orphan and applied
/// again (the usual way to change an immutable field) must take its running Pods back rather than collide with their names.
/// </summary>
public static class OrphanAdoption
{
    /// <summary>An orphan wakes every owner in its namespace whose selector matches it, so one can adopt it.</summary>
    public static IEnumerable<ObjectKey> Claimants<TOwner, TChild>(InformerEvent<TChild> e, Informer<TOwner> owners, Func<TOwner, LabelSelector?> selectorOf)
        where TOwner : KubeObject
        where TChild : KubeObject
    {
        if (e.New == null || WellKnownIndexes.ControllerOf(e.New) != null || e.New.Metadata.DeletionTimestamp != null)
        {
            yield break;
        }

        foreach (var owner in owners.List(e.New.Metadata.Namespace))
        {
            if (WorkloadSelector.TryParse(selectorOf(owner), out var selector, out _) && selector.Matches(e.New.Metadata.Labels))
            {
                yield return ObjectKey.Of(owner);
            }
        }
    }

    /// <summary>Sets <paramref name="owner"/> as controller of every live orphan in its namespace that the selector and <paramref name="accept"/> match. Returns how many.</summary>
    public static async Task<int> AdoptAsync(IObjectStore store, Informer<Pod> pods, KubeObject owner, Selector selector, Func<Pod, bool> accept, TimeSpan cacheSyncTimeout, CancellationToken ct)
    {
        if (selector.IsEmpty)
        {
            return 0;
        }

        var writes = new List<StoreWrite>();
        foreach (var pod in pods.ByIndex(WellKnownIndexes.OrphansByNamespace, owner.Metadata.Namespace!))
        {
            if (pod.Metadata.DeletionTimestamp == null && selector.Matches(pod.Metadata.Labels) && accept(pod))
            {
                var copy = KubeJson.Clone(pod);
                Owners.Adopt(copy, owner);
                writes.Add(new StoreWrite(StoreVerb.Update, copy));
            }
        }

        if (writes.Count == 0)
        {
            return 0;
        }

        // resourceVersion kept on each copy: a Pod changed meanwhile fails the batch and the reconcile retries.
        var written = await store.CommitAsync(writes, ct).ConfigureAwait(false);
        await pods.WaitForRevisionAsync(Revisions.Max(written), cacheSyncTimeout, ct).ConfigureAwait(false);
        return writes.Count;
    }
}
