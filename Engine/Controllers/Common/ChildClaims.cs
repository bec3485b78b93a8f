using GitOrch.Api.Model;
using GitOrch.Api.Selectors;
using GitOrch.Api.Serialization;
using GitOrch.Engine.Runtime;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Controllers.Common;

/// <summary>
/// Claiming the children an owner controls, after Kubernetes' <c>controller_ref_manager.go</c>: children it owns that
/// still match its selector are kept, those that stopped matching are released, and live orphans that match are adopted
/// (a StatefulSet or DaemonSet deleted with propagationPolicy Orphan and applied again takes its running Pods back rather
/// than collide with their names). Every change is one batch; the batch keeps each child's resourceVersion, so a child
/// changed meanwhile fails it and the reconcile retries.
/// </summary>
public sealed class ChildClaims<TChild>(IObjectStore store, Informer<TChild> children, TimeSpan cacheSyncTimeout)
    where TChild : KubeObject
{
    /// <summary>
    /// The live children <paramref name="owner"/> controls and <paramref name="selector"/> matches, adopted orphans
    /// included (as their adopted copies); children that stopped matching are released.
    /// </summary>
    public Task<ChildClaim<TChild>> ClaimAsync(KubeObject owner, Selector selector, CancellationToken ct)
        => ClaimCoreAsync(owner, selector, accept: null, releaseAndList: true, ct);

    /// <summary>Only adopts: every live orphan the (non-empty) selector and <paramref name="accept"/> match; owned children are left as they are.</summary>
    public Task<ChildClaim<TChild>> AdoptOrphansAsync(KubeObject owner, Selector selector, Func<TChild, bool> accept, CancellationToken ct)
        => selector.IsEmpty
            ? Task.FromResult(new ChildClaim<TChild>([], 0, 0))
            : ClaimCoreAsync(owner, selector, accept, releaseAndList: false, ct);

    private async Task<ChildClaim<TChild>> ClaimCoreAsync(KubeObject owner, Selector selector, Func<TChild, bool>? accept, bool releaseAndList, CancellationToken ct)
    {
        var owned = new List<TChild>();
        var writes = new List<StoreWrite>();
        var released = 0;
        if (releaseAndList)
        {
            foreach (var child in children.ByIndex(WellKnownIndexes.ControllerUid, owner.Metadata.Uid!))
            {
                if (child.Metadata.DeletionTimestamp != null)
                {
                    continue;
                }

                if (!selector.Matches(child.Metadata.Labels))
                {
                    var copy = KubeJson.Clone(child);
                    Owners.Release(copy, owner.Metadata.Uid!);
                    writes.Add(new StoreWrite(StoreVerb.Update, copy));
                    released++;
                    continue;
                }

                owned.Add(child);
            }
        }

        foreach (var orphan in children.ByIndex(WellKnownIndexes.OrphansByNamespace, owner.Metadata.Namespace!))
        {
            if (orphan.Metadata.DeletionTimestamp == null && selector.Matches(orphan.Metadata.Labels) && (accept == null || accept(orphan)))
            {
                var copy = KubeJson.Clone(orphan);
                Owners.Adopt(copy, owner);
                writes.Add(new StoreWrite(StoreVerb.Update, copy));
                owned.Add(copy);
            }
        }

        if (writes.Count > 0)
        {
            var written = await store.CommitAsync(writes, ct).ConfigureAwait(false);
            await children.WaitForRevisionAsync(Revisions.Max(written), cacheSyncTimeout, ct).ConfigureAwait(false);
        }

        return new ChildClaim<TChild>(owned, writes.Count - released, released);
    }
}

/// <summary>What a claim found and changed: <see cref="Owned"/> are the live children that match, adopted ones included.</summary>
public sealed record ChildClaim<TChild>(List<TChild> Owned, int Adopted, int Released)
    where TChild : KubeObject
{
    /// <summary>How many children were written (adopted or released).</summary>
    public int Changed => Adopted + Released;
}

/// <summary>Watch mapping shared by owners that adopt: which owners an orphan should wake.</summary>
public static class ChildClaims
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
}
