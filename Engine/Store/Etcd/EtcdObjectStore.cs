using System.Threading.Channels;
using dotnet_etcd;
using Etcdserverpb;
using GitOrch.Api.Model;
using GitOrch.Api.Selectors;
using Google.Protobuf;

namespace GitOrch.Engine.Store.Etcd;

/// <summary>
/// etcd v3-backed <see cref="IObjectStore"/> for several Engines sharing one datastore. The contract is the LiteDB
/// store's: the same <see cref="WriteRules"/> decide every write, and reads and watches are served from an in-memory
/// <see cref="ObjectIndex"/> and <see cref="ChangeLog"/>. What differs is where truth is: revisions are etcd's,
/// a batch is one etcd transaction whose compares pin each object's <c>mod_revision</c> (a lost race is a
/// conflict, never a lost update), and the index is fed only by an etcd watch, so every Engine sees every Engine's
/// writes in the same order.
/// </summary>
public sealed partial class EtcdObjectStore : IObjectStore, ICommittedState, IDisposable
{
    private const int LoadPageSize = 500;

    private readonly EtcdClient _client;
    private readonly EtcdStoreOptions _etcd;
    private readonly StoreOptions _options;
    private readonly ILogger _logger;
    private readonly EtcdKeys _keys;
    private readonly ObjectIndex _index = new();
    private readonly ChangeLog _changeLog;
    private readonly Channel<PendingBatch> _queue = Channel.CreateUnbounded<PendingBatch>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _committer;
    private readonly Task _feed;
    private readonly Task _compactor;
    private long _revision;

    private EtcdObjectStore(EtcdClient client, EtcdStoreOptions etcd, StoreOptions options, ILogger logger, long revision, IEnumerable<StoredObject> objects)
    {
        _client = client;
        _etcd = etcd;
        _options = options;
        _logger = logger;
        _keys = new EtcdKeys(etcd.Prefix);
        _revision = revision;
        foreach (var o in objects)
        {
            _index.Set(o);
        }

        _changeLog = new ChangeLog(options.ChangeLogCapacity, revision);
        _committer = Task.Run(CommitLoopAsync);
        _feed = Task.Run(() => FeedLoopAsync(_stopping.Token));
        _compactor = Task.Run(() => CompactLoopAsync(_stopping.Token));
    }

    /// <summary>
    /// Connects, loads every object at one revision into memory, then follows etcd's watch from the next revision.
    /// The <c>default</c> and <c>gitorch-system</c> namespaces exist from the start (whichever Engine comes first makes them).
    /// </summary>
    public static async Task<EtcdObjectStore> OpenAsync(EtcdStoreOptions etcd, StoreOptions? options = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        options ??= new StoreOptions();
        var client = EtcdConnection.Create(etcd);
        try
        {
            var keys = new EtcdKeys(etcd.Prefix);
            var (revision, objects) = await LoadAsync(client, etcd, keys, cancellationToken).ConfigureAwait(false);
            var store = new EtcdObjectStore(client, etcd, options, logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, revision, objects);
            foreach (var ns in new[] { "default", "gitorch-system" })
            {
                if (store.Get<Namespace>(null, ns) == null)
                {
                    try
                    {
                        await store.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = ns } }, cancellationToken).ConfigureAwait(false);
                    }
                    catch (StoreException e) when (e.IsAlreadyExists)
                    {
                        // Another Engine made it first.
                    }
                }
            }

            return store;
        }
        catch (Grpc.Core.RpcException e)
        {
            client.Dispose();
            throw EtcdErrors.Unavailable(etcd.Describe(), e);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>The etcd revision this Engine's memory has caught up to.</summary>
    public long Revision => Interlocked.Read(ref _revision);

    /// <summary>Watchers currently following the change log (for metrics and benchmarks).</summary>
    public int WatcherCount => _changeLog.WatcherCount;

    /// <summary>True while the watch feeding this Engine is connected to etcd.</summary>
    public bool Connected => Volatile.Read(ref _connected);

    public T? Get<T>(string? ns, string name) where T : KubeObject => _index.Find(ResourceKinds.Of<T>(), ns, name)?.Copy<T>();

    public KubeObject? Get(ResourceKind kind, string? ns, string name) => _index.Find(kind, ns, name)?.Copy();

    public StoredObject? Find(ResourceKind kind, string? ns, string name) => _index.Find(kind, ns, name);

    public IEnumerable<StoredObject> Committed(ResourceKind kind) => _index.Committed(kind);

    public IReadOnlyList<T> List<T>(string? ns = null, Selector? labels = null, Func<T, bool>? where = null) where T : KubeObject
        => _index.List(ns, labels, where);

    public ListPage ListPage(ResourceKind kind, string? ns, Selector? labels, Func<KubeObject, bool>? where, int limit, string? continueToken)
        => _index.ListPage(kind, ns, labels, where, limit, continueToken, Revision);

    public IStoreWatch Watch(ResourceKind? kind, string? ns, long fromRevision)
        => _changeLog.Subscribe(kind, ns, fromRevision, Revision);

    public IStoreWatch Watch(ResourceKind? kind, string? ns, long fromRevision, string? nodeName, WatchLimits? limits = null)
        => _changeLog.Subscribe(kind, ns, fromRevision, Revision, nodeName, limits);

    /// <summary>The shared bootstrap files (tokens, CA) kept beside the objects; see <see cref="BootstrapFiles"/>.</summary>
    internal async Task<IReadOnlyDictionary<string, byte[]>> ReadBootstrapAsync(CancellationToken cancellationToken)
    {
        var response = await Call(ct => _client.GetConnection().KVClient.RangeAsync(new RangeRequest
        {
            Key = ByteString.CopyFromUtf8(_keys.Bootstrap),
            RangeEnd = ByteString.CopyFromUtf8(EtcdKeys.RangeEnd(_keys.Bootstrap)),
        }, deadline: Deadline(), cancellationToken: ct).ResponseAsync, cancellationToken).ConfigureAwait(false);
        return response.Kvs.ToDictionary(kv => kv.Key.ToStringUtf8()[_keys.Bootstrap.Length..], kv => kv.Value.ToByteArray());
    }

    /// <summary>Stores the files that are not there yet (first Engine wins); returns what the datastore holds afterwards.</summary>
    internal async Task<IReadOnlyDictionary<string, byte[]>> OfferBootstrapAsync(IReadOnlyDictionary<string, byte[]> files, CancellationToken cancellationToken)
    {
        foreach (var (name, content) in files)
        {
            var key = ByteString.CopyFromUtf8(_keys.Bootstrap + name);
            var put = new TxnRequest();
            put.Compare.Add(new Compare { Key = key, Target = Compare.Types.CompareTarget.Version, Result = Compare.Types.CompareResult.Equal, Version = 0 });
            put.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = key, Value = ByteString.CopyFrom(content) } });
            await Call(ct => _client.GetConnection().KVClient.TxnAsync(put, deadline: Deadline(), cancellationToken: ct).ResponseAsync, cancellationToken).ConfigureAwait(false);
        }

        return await ReadBootstrapAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<(long Revision, List<StoredObject> Objects)> LoadAsync(EtcdClient client, EtcdStoreOptions etcd, EtcdKeys keys, CancellationToken cancellationToken)
    {
        var objects = new List<StoredObject>();
        var end = ByteString.CopyFromUtf8(EtcdKeys.RangeEnd(keys.Registry));
        var from = ByteString.CopyFromUtf8(keys.Registry);
        long revision = 0;
        while (true)
        {
            var page = await client.GetConnection().KVClient.RangeAsync(
                new RangeRequest { Key = from, RangeEnd = end, Limit = LoadPageSize, Revision = revision },
                deadline: DateTime.UtcNow + etcd.RequestTimeout, cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false);
            if (revision == 0)
            {
                revision = page.Header.Revision;
            }

            foreach (var kv in page.Kvs)
            {
                if (Decode(keys, kv) is { } stored)
                {
                    objects.Add(stored);
                }
            }

            if (!page.More || page.Kvs.Count == 0)
            {
                return (revision, objects);
            }

            from = ByteString.CopyFrom(page.Kvs[^1].Key.Concat(new byte[] { 0 }).ToArray());
        }
    }

    /// <summary>An object as etcd holds it, with its resourceVersion set to the key's <c>mod_revision</c>.</summary>
    private static StoredObject? Decode(EtcdKeys keys, Mvccpb.KeyValue kv, long? revision = null)
    {
        if (keys.Parse(kv.Key.ToStringUtf8()) is not { } id)
        {
            return null;
        }

        var rev = revision ?? kv.ModRevision;
        var json = ResourceVersionSplice.Set(kv.Value.ToByteArray(), rev.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return json == null ? null : new StoredObject(id.Kind, id.Namespace, id.Name, rev, json);
    }

    private DateTime Deadline() => DateTime.UtcNow + _etcd.RequestTimeout;

    /// <summary>Runs one etcd call; a transport failure or timeout becomes the store's 503.</summary>
    private async Task<T> Call<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (Grpc.Core.RpcException e) when (EtcdErrors.IsUnavailable(e) && !cancellationToken.IsCancellationRequested)
        {
            throw EtcdErrors.Unavailable(_etcd.Describe(), e);
        }
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _committer.GetAwaiter().GetResult();
        _stopping.Cancel();
        try
        {
            Task.WaitAll(new[] { _feed, _compactor }, TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Stopping: the loops end by cancellation.
        }

        _client.Dispose();
        _stopping.Dispose();
    }
}
