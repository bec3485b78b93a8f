using GitOrch.Api.Model;

namespace GitOrch.Engine.Store;

/// <summary>
/// One caller's writes waiting in a backend's group-commit queue (LiteDB or etcd), and the answer it waits for. Both
/// backends treat a batch holding a dry-run write the same way: every rule and admission step runs, nothing is stored.
/// </summary>
internal sealed class PendingBatch
{
    public PendingBatch(IReadOnlyList<StoreWrite> writes)
    {
        Writes = writes;
        IsDryRun = writes.Any(w => w.DryRun);
    }

    public bool IsDryRun { get; }

    public IReadOnlyList<StoreWrite> Writes { get; }

    public TaskCompletionSource<IReadOnlyList<KubeObject>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Answers a dry run: its objects carry the resourceVersion that is stored (none for a create), not one it never took.</summary>
    public void CompleteDryRun(IReadOnlyList<KubeObject> results, ICommittedState committed)
    {
        for (var i = 0; i < results.Count; i++)
        {
            var meta = results[i].Metadata;
            meta.ResourceVersion = Writes[i].Verb == StoreVerb.Create ? null : committed.Find(ResourceKinds.Of(results[i]), meta.Namespace, meta.Name!)?.Shared.Metadata.ResourceVersion;
        }

        Completion.TrySetResult(results);
    }
}
