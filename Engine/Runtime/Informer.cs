using System.Collections.Concurrent;
using GitOrch.Api.Model;
using GitOrch.Engine.Store;
using Microsoft.Extensions.Logging;

namespace GitOrch.Engine.Runtime;

/// <summary>
/// A local cache of one kind, kept current from the store's change feed: list, then watch from the list's revision;
/// when the watch falls too far behind (Gone) list again and emit the differences, so handlers never miss a final state.
/// Handlers run on the informer's single loop, in revision order; they should only enqueue keys.
/// Cached objects are the store's shared typed views: read them, copy before changing (KubeJson.Clone).
/// </summary>
public sealed partial class Informer<T> : IInformer where T : KubeObject
{
    private readonly IObjectStore _store;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly Dictionary<string, StoredObject> _items = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Index> _indexes = new(StringComparer.Ordinal);
    private readonly List<Action<InformerEvent<T>>> _handlers = new();
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(long Revision, TaskCompletionSource Done)> _waiters = new();
    private long _lastRevision;

    public Informer(IObjectStore store, ILogger logger)
    {
        _store = store;
        _logger = logger;
        Kind = ResourceKinds.Of(typeof(T));
        AddIndex(NamespaceIndex, o => o.Metadata.Namespace is { } ns ? new[] { ns } : Array.Empty<string>());
    }

    /// <summary>Built-in index: objects by namespace.</summary>
    public const string NamespaceIndex = "namespace";

    public ResourceKind Kind { get; }

    public bool HasSynced => _synced.Task.IsCompleted;

    public long LastRevision => Interlocked.Read(ref _lastRevision);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>Adds a secondary index (e.g. Pods by controller uid). Must be called before <see cref="RunAsync"/>.</summary>
    public void AddIndex(string name, Func<T, IEnumerable<string>> keys)
    {
        lock (_gate)
        {
            if (_indexes.ContainsKey(name))
            {
                return;
            }

            var index = new Index(keys);
            foreach (var item in _items.Values)
            {
                index.Add(item.Key, (T)item.Shared);
            }

            _indexes[name] = index;
        }
    }

    /// <summary>Subscribes to cache changes. Handlers added after the initial list get no replay; add them before starting.</summary>
    public void AddHandler(Action<InformerEvent<T>> handler)
    {
        lock (_gate)
        {
            _handlers.Add(handler);
        }
    }

    public void AddObjectHandler(Action<InformerEvent<KubeObject>> handler)
        => AddHandler(e => handler(new InformerEvent<KubeObject>(e.Type, e.Old, e.New)));

    public KubeObject? GetObject(string? ns, string name) => Get(ns, name);

    public IReadOnlyList<KubeObject> ListObjects(string? ns = null) => List(ns);

    public IReadOnlyList<KubeObject> ObjectsByIndex(string index, string value) => ByIndex(index, value);

    public T? Get(string? ns, string name)
    {
        lock (_gate)
        {
            return _items.TryGetValue(StoredObject.KeyOf(ns, name), out var s) ? (T)s.Shared : null;
        }
    }

    public T? Get(ObjectKey key) => Get(key.Namespace, key.Name);

    /// <summary>The committed version as cached: <c>Copy&lt;T&gt;()</c> gives a private mutable copy straight from its JSON.</summary>
    public StoredObject? GetStored(string? ns, string name)
    {
        lock (_gate)
        {
            return _items.TryGetValue(StoredObject.KeyOf(ns, name), out var s) ? s : null;
        }
    }

    /// <summary>All cached objects (one namespace, or all when null).</summary>
    public IReadOnlyList<T> List(string? ns = null)
    {
        if (ns != null)
        {
            return ByIndex(NamespaceIndex, ns);
        }

        lock (_gate)
        {
            var list = new List<T>(_items.Count);
            foreach (var s in _items.Values)
            {
                list.Add((T)s.Shared);
            }

            return list;
        }
    }

    public IReadOnlyList<T> ByIndex(string index, string value)
    {
        lock (_gate)
        {
            if (!_indexes.TryGetValue(index, out var idx))
            {
                throw new InvalidOperationException($"informer for {Kind.Plural} has no index \"{index}\"");
            }

            if (!idx.Entries.TryGetValue(value, out var keys))
            {
                return Array.Empty<T>();
            }

            var list = new List<T>(keys.Count);
            foreach (var k in keys)
            {
                list.Add((T)_items[k].Shared);
            }

            return list;
        }
    }

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    public async Task WaitForRevisionAsync(long revision, TimeSpan timeout, CancellationToken cancellationToken)
    {
        TaskCompletionSource tcs;
        lock (_gate)
        {
            if (_lastRevision >= revision)
            {
                return;
            }

            tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((revision, tcs));
        }

        try
        {
            await tcs.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A write that never shows up (e.g. replaced by a later one in the same batch) must not wedge the worker.
            Log.RevisionWaitTimedOut(_logger, Kind.Plural, revision, LastRevision);
        }
    }

    /// <summary>Lists, then follows the change feed until cancelled. Relists when the watch falls behind.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            IStoreWatch? watch = null;
            try
            {
                var (items, revision) = ListAll();
                Replace(items, revision);
                _synced.TrySetResult();
                watch = _store.Watch(Kind, null, revision);
                await FollowAsync(watch, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (StoreException e) when (e.Code == 410)
            {
                Log.Relisting(_logger, Kind.Plural, e.Message);
            }
            catch (Exception e)
            {
                Log.WatchFailed(_logger, e, Kind.Plural);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            finally
            {
                watch?.Dispose();
            }
        }
    }

    private (List<StoredObject> Items, long Revision) ListAll()
    {
        var items = new List<StoredObject>();
        string? cont = null;
        long revision = -1;
        do
        {
            var page = _store.ListPage(Kind, null, null, null, 10_000, cont);
            if (revision < 0)
            {
                revision = page.Revision;
            }

            items.AddRange(page.Items);
            cont = page.Continue;
        }
        while (!string.IsNullOrEmpty(cont));

        return (items, revision);
    }

    private async Task FollowAsync(IStoreWatch watch, CancellationToken cancellationToken)
    {
        var reader = watch.Events;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (reader.TryRead(out var e))
            {
                Apply(e);
            }
        }

        // The store closed the feed (its log moved past us, or it is shutting down): relist.
        throw new StoreException("Expired", 410, $"watch on {Kind.Plural} closed");
    }

    private void Apply(StoreEvent e)
    {
        var obj = e.Object;
        InformerEvent<T> change;
        List<Action<InformerEvent<T>>> handlers;
        lock (_gate)
        {
            _items.TryGetValue(obj.Key, out var old);
            if (e.Type == WatchEventType.Deleted)
            {
                if (old == null)
                {
                    SetRevision(e.Revision);
                    return;
                }

                _items.Remove(obj.Key);
                Unindex(old);
                change = new InformerEvent<T>(WatchEventType.Deleted, (T)old.Shared, null);
            }
            else
            {
                if (old != null && old.Revision >= obj.Revision)
                {
                    SetRevision(e.Revision);
                    return;
                }

                if (old != null)
                {
                    Unindex(old);
                }

                _items[obj.Key] = obj;
                Reindex(obj);
                change = new InformerEvent<T>(old == null ? WatchEventType.Added : WatchEventType.Modified, (T?)old?.Shared, (T)obj.Shared);
            }

            handlers = _handlers;
        }

        Dispatch(handlers, change);
        lock (_gate)
        {
            SetRevision(e.Revision);
        }
    }

    private void Replace(List<StoredObject> items, long revision)
    {
        var changes = new List<InformerEvent<T>>();
        List<Action<InformerEvent<T>>> handlers;
        lock (_gate)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var obj in items)
            {
                seen.Add(obj.Key);
                _items.TryGetValue(obj.Key, out var old);
                if (old != null && old.Revision == obj.Revision)
                {
                    continue;
                }

                if (old != null)
                {
                    Unindex(old);
                }

                _items[obj.Key] = obj;
                Reindex(obj);
                changes.Add(new InformerEvent<T>(old == null ? WatchEventType.Added : WatchEventType.Modified, (T?)old?.Shared, (T)obj.Shared));
            }

            foreach (var key in _items.Keys.Where(k => !seen.Contains(k)).ToList())
            {
                var old = _items[key];
                _items.Remove(key);
                Unindex(old);
                changes.Add(new InformerEvent<T>(WatchEventType.Deleted, (T)old.Shared, null));
            }

            handlers = _handlers;
        }

        foreach (var change in changes)
        {
            Dispatch(handlers, change);
        }

        lock (_gate)
        {
            SetRevision(revision);
        }
    }

    private void Dispatch(List<Action<InformerEvent<T>>> handlers, InformerEvent<T> change)
    {
        foreach (var h in handlers)
        {
            try
            {
                h(change);
            }
            catch (Exception ex)
            {
                Log.HandlerFailed(_logger, ex, Kind.Plural);
            }
        }
    }

    private void SetRevision(long revision)
    {
        if (revision <= _lastRevision)
        {
            return;
        }

        Interlocked.Exchange(ref _lastRevision, revision);
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            if (_waiters[i].Revision <= revision)
            {
                _waiters[i].Done.TrySetResult();
                _waiters.RemoveAt(i);
            }
        }
    }

    private void Reindex(StoredObject obj)
    {
        var typed = (T)obj.Shared;
        foreach (var idx in _indexes.Values)
        {
            idx.Add(obj.Key, typed);
        }
    }

    private void Unindex(StoredObject obj)
    {
        var typed = (T)obj.Shared;
        foreach (var idx in _indexes.Values)
        {
            idx.Remove(obj.Key, typed);
        }
    }

    private sealed class Index
    {
        private readonly Func<T, IEnumerable<string>> _keys;

        public Index(Func<T, IEnumerable<string>> keys) => _keys = keys;

        public Dictionary<string, HashSet<string>> Entries { get; } = new(StringComparer.Ordinal);

        public void Add(string objectKey, T obj)
        {
            foreach (var k in _keys(obj))
            {
                if (!Entries.TryGetValue(k, out var set))
                {
                    Entries[k] = set = new HashSet<string>(StringComparer.Ordinal);
                }

                set.Add(objectKey);
            }
        }

        public void Remove(string objectKey, T obj)
        {
            foreach (var k in _keys(obj))
            {
                if (Entries.TryGetValue(k, out var set))
                {
                    set.Remove(objectKey);
                    if (set.Count == 0)
                    {
                        Entries.Remove(k);
                    }
                }
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Informer for {Kind} relisting: {Reason}")]
        public static partial void Relisting(ILogger logger, string kind, string reason);

        [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Informer for {Kind} lost its watch; retrying")]
        public static partial void WatchFailed(ILogger logger, Exception exception, string kind);

        [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "An event handler of the {Kind} informer failed")]
        public static partial void HandlerFailed(ILogger logger, Exception exception, string kind);

        [LoggerMessage(EventId = 1004, Level = LogLevel.Debug, Message = "Informer for {Kind} did not reach revision {Revision} in time (at {Current})")]
        public static partial void RevisionWaitTimedOut(ILogger logger, string kind, long revision, long current);
    }
}
