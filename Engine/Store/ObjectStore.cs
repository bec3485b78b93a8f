using System.Text;
using System.Threading.Channels;
using GitOrch.Api.Model;
using GitOrch.Api.Selectors;
using GitOrch.Api.Serialization;

namespace GitOrch.Engine.Store;

/// <summary>
/// LiteDB-backed <see cref="IObjectStore"/>. Reads are served from an in-memory index of committed objects; writes
/// are checked and committed by a single committer that folds every write waiting at that moment into one LiteDB
/// transaction (group commit), so 16 concurrent writers cost about as much as one large transaction.
/// </summary>
public sealed partial class ObjectStore : IObjectStore, ICommittedState, IDisposable
{
    public const string DatabaseFileName = "gitorch.db";

    private readonly LiteDbFile _file;
    private readonly StoreOptions _options;
    private readonly ObjectIndex _index = new();
    private readonly ChangeLog _changeLog;
    private readonly Channel<PendingBatch> _queue = Channel.CreateUnbounded<PendingBatch>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _committer;
    private readonly Timer _syncTimer;
    private long _revision;

    private ObjectStore(LiteDbFile file, StoreOptions options)
    {
        _file = file;
        _options = options;
        _revision = file.ReadRevision();
        foreach (var (plural, rv, json) in file.ReadAll())
        {
            var kind = ResourceKinds.All.First(k => k.Plural == plural);
            var bytes = Encoding.UTF8.GetBytes(json);
            var meta = ((KubeObject)KubeJson.Deserialize(bytes, kind.Type)).Metadata;
            var stored = new StoredObject(kind, meta.Namespace, meta.Name!, rv, bytes);
            _index.Set(stored);
        }

        _changeLog = new ChangeLog(options.ChangeLogCapacity, _revision);
        _syncTimer = new Timer(_ => SyncToDisk(), null, options.SyncInterval, options.SyncInterval);
        _committer = Task.Factory.StartNew(CommitLoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Opens (or creates) <c>&lt;dataDir&gt;/gitorch.db</c>. The <c>default</c> namespace exists from the start.</summary>
    public static ObjectStore Open(string dataDir, TimeProvider? time = null, StoreOptions? options = null)
    {
        options ??= new StoreOptions();
        if (time != null)
        {
            options.Time = time;
        }

        Directory.CreateDirectory(dataDir);
        var store = new ObjectStore(new LiteDbFile(Path.Combine(dataDir, DatabaseFileName)), options);
        foreach (var ns in new[] { "default", "gitorch-system" })
        {
            if (store.Get<Namespace>(null, ns) == null)
            {
                store.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = ns } }).GetAwaiter().GetResult();
            }
        }

        return store;
    }

    public long Revision => Interlocked.Read(ref _revision);

    /// <summary>Watchers currently following the change log (for metrics and benchmarks).</summary>
    public int WatcherCount => _changeLog.WatcherCount;

    public T? Get<T>(string? ns, string name) where T : KubeObject
        => _index.Find(ResourceKinds.Of<T>(), ns, name)?.Copy<T>();

    public KubeObject? Get(ResourceKind kind, string? ns, string name) => _index.Find(kind, ns, name)?.Copy();

    /// <summary>The committed version itself (shared, read-only), without a copy.</summary>
    public StoredObject? Find(ResourceKind kind, string? ns, string name) => _index.Find(kind, ns, name);

    public IReadOnlyList<T> List<T>(string? ns = null, Selector? labels = null, Func<T, bool>? where = null) where T : KubeObject
        => _index.List(ns, labels, where);

    public ListPage ListPage(ResourceKind kind, string? ns, Selector? labels, Func<KubeObject, bool>? where, int limit, string? continueToken)
        => _index.ListPage(kind, ns, labels, where, limit, continueToken, Revision);

    public IStoreWatch Watch(ResourceKind? kind, string? ns, long fromRevision)
        => _changeLog.Subscribe(kind, ns, fromRevision, Revision);

    public IStoreWatch Watch(ResourceKind? kind, string? ns, long fromRevision, string? nodeName, WatchLimits? limits = null)
        => _changeLog.Subscribe(kind, ns, fromRevision, Revision, nodeName, limits);

    /// <summary>Committed versions of a kind, unordered, shared (read only).</summary>
    public IEnumerable<StoredObject> Committed(ResourceKind kind) => _index.Committed(kind);

    private void SyncToDisk()
    {
        try
        {
            _file.SyncToDisk();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _syncTimer.Dispose();
        _queue.Writer.TryComplete();
        _committer.GetAwaiter().GetResult();
        _file.Dispose();
    }
}
