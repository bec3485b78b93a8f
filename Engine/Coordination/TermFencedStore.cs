using GitOrch.Api.Model;
using GitOrch.Api.Selectors;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Coordination;

/// <summary>
/// The store as the leader's components see it: reads pass through; a write is refused once the term is ending,
/// so a controller slow to stop cannot write after its Engine lost the lease (a fence), and every write is recorded
/// with the term that made it.
/// </summary>
internal sealed class TermFencedStore : IObjectStore
{
    private readonly IObjectStore _inner;
    private readonly LeaderTerm _term;
    private readonly TimeProvider _time;

    public TermFencedStore(IObjectStore inner, LeaderTerm term, TimeProvider time)
    {
        _inner = inner;
        _term = term;
        _time = time;
    }

    public long Revision => _inner.Revision;

    public T? Get<T>(string? ns, string name) where T : KubeObject => _inner.Get<T>(ns, name);

    public KubeObject? Get(ResourceKind kind, string? ns, string name) => _inner.Get(kind, ns, name);

    public IReadOnlyList<T> List<T>(string? ns = null, Selector? labels = null, Func<T, bool>? where = null) where T : KubeObject => _inner.List(ns, labels, where);

    public ListPage ListPage(ResourceKind kind, string? ns, Selector? labels, Func<KubeObject, bool>? where, int limit, string? continueToken)
        => _inner.ListPage(kind, ns, labels, where, limit, continueToken);

    public IStoreWatch Watch(ResourceKind? kind, string? ns, long fromRevision) => _inner.Watch(kind, ns, fromRevision);

    public IStoreWatch Watch(ResourceKind? kind, string? ns, long fromRevision, string? nodeName, WatchLimits? limits = null)
        => _inner.Watch(kind, ns, fromRevision, nodeName, limits);

    public ValueTask SyncForReadAsync(CancellationToken cancellationToken) => _inner.SyncForReadAsync(cancellationToken);

    public Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken = default) where T : KubeObject => Fenced(() => _inner.CreateAsync(obj, cancellationToken));

    public Task<T> UpdateAsync<T>(T obj, CancellationToken cancellationToken = default) where T : KubeObject => Fenced(() => _inner.UpdateAsync(obj, cancellationToken));

    public Task<T> UpdateStatusAsync<T>(T obj, CancellationToken cancellationToken = default) where T : KubeObject => Fenced(() => _inner.UpdateStatusAsync(obj, cancellationToken));

    public Task<KubeObject> DeleteAsync(ResourceKind kind, string? ns, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default)
        => Fenced(() => _inner.DeleteAsync(kind, ns, name, options, cancellationToken));

    public Task<IReadOnlyList<KubeObject>> CommitAsync(IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken = default)
        => Fenced(() => _inner.CommitAsync(writes, cancellationToken));

    private async Task<T> Fenced<T>(Func<Task<T>> write)
    {
        if (!_term.Active)
        {
            throw new StoreException("ServiceUnavailable", 503, $"{_term.Identity} is no longer the leader (term {_term.Term} ended); the new leader's controllers take over");
        }

        var result = await write().ConfigureAwait(false);
        _term.RecordWrite(_time.GetUtcNow());
        return result;
    }
}
