using Etcdserverpb;
using GitOrch.Api.Model;
using GitOrch.Engine.Validation;
using Google.Protobuf;

namespace GitOrch.Engine.Store.Etcd;

public sealed partial class EtcdObjectStore
{
    /// <summary>Times a group is re-planned after its compares failed because this Engine's memory was behind.</summary>
    private const int MaxAttempts = 4;

    public async Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken = default) where T : KubeObject
        => (T)(await CommitAsync(new[] { new StoreWrite(StoreVerb.Create, obj) }, cancellationToken).ConfigureAwait(false))[0];

    public async Task<T> UpdateAsync<T>(T obj, CancellationToken cancellationToken = default) where T : KubeObject
        => (T)(await CommitAsync(new[] { new StoreWrite(StoreVerb.Update, obj) }, cancellationToken).ConfigureAwait(false))[0];

    public async Task<T> UpdateStatusAsync<T>(T obj, CancellationToken cancellationToken = default) where T : KubeObject
        => (T)(await CommitAsync(new[] { new StoreWrite(StoreVerb.UpdateStatus, obj) }, cancellationToken).ConfigureAwait(false))[0];

    public async Task<KubeObject> DeleteAsync(ResourceKind kind, string? ns, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var stub = (KubeObject)Activator.CreateInstance(kind.Type)!;
        stub.Metadata = new ObjectMeta { Name = name, Namespace = kind.Namespaced ? ns ?? "default" : null };
        return (await CommitAsync(new[] { new StoreWrite(StoreVerb.Delete, stub, options) }, cancellationToken).ConfigureAwait(false))[0];
    }

    public Task<IReadOnlyList<KubeObject>> CommitAsync(IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken = default)
    {
        foreach (var w in writes)
        {
            if (w.Verb is StoreVerb.Create or StoreVerb.Update)
            {
                ObjectValidator.ThrowIfInvalid(w.Object);
            }
        }

        var batch = new PendingBatch(writes);
        if (!_queue.Writer.TryWrite(batch))
        {
            throw new ObjectDisposedException(nameof(EtcdObjectStore), "the store is closed");
        }

        return batch.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Group commit, as in the LiteDB store: every batch waiting when the previous transaction returns goes into the
    /// next one, so 16 writers cost one etcd round trip (one raft entry, one fsync per member) instead of sixteen.
    /// </summary>
    private async Task CommitLoopAsync()
    {
        var reader = _queue.Reader;
        var group = new List<PendingBatch>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            var writes = 0;
            while (writes < _options.MaxGroupSize && reader.TryRead(out var b))
            {
                group.Add(b);
                writes += b.Writes.Count;
            }

            await CommitGroupAsync(group, MaxAttempts).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Plans the group against this Engine's memory, then sends it as one transaction that holds only if every
    /// object it read is still at the revision it read. If another Engine got there first, memory catches up to
    /// etcd and the group is planned again (one batch at a time, so one contended object holds back no other batch);
    /// a client's stale resourceVersion then fails in the rules as a 409, exactly as on LiteDB.
    /// </summary>
    private async Task CommitGroupAsync(IReadOnlyList<PendingBatch> group, int attemptsLeft)
    {
        var plan = Plan(group);
        if (plan.Accepted.Count == 0)
        {
            return;
        }

        if (plan.Request.Success.Count == 0)
        {
            plan.Complete(null);
            return;
        }

        TxnResponse response;
        try
        {
            response = await _client.GetConnection().KVClient.TxnAsync(plan.Request, deadline: Deadline(), cancellationToken: _stopping.Token).ResponseAsync.ConfigureAwait(false);
        }
        catch (Exception e) when (e is Grpc.Core.RpcException or OperationCanceledException)
        {
            plan.Fail(EtcdErrors.Unavailable(_etcd.Describe(), e));
            return;
        }

        if (response.Succeeded)
        {
            // Read-your-writes on this Engine: acknowledge once its memory holds the transaction (the watch brings it
            // within milliseconds; a slow feed only delays the answer, the write is durable either way).
            ReconnectFeedIfDown();
            await WaitForEventsAsync(response.Header.Revision, _stopping.Token).ConfigureAwait(false);
            plan.Complete(response.Header.Revision);
            return;
        }

        // Another Engine wrote first: catch up with etcd before planning again.
        await WaitForProgressAsync(response.Header.Revision, _stopping.Token).ConfigureAwait(false);

        var batches = plan.Accepted.Select(a => a.Batch).ToList();
        if (attemptsLeft <= 1)
        {
            foreach (var b in batches)
            {
                b.Completion.TrySetException(StoreException.Conflict(ResourceKinds.Of(b.Writes[0].Object), b.Writes[0].Object.Metadata.Name ?? ""));
            }

            return;
        }

        foreach (var b in batches)
        {
            await CommitGroupAsync(new[] { b }, attemptsLeft - 1).ConfigureAwait(false);
        }
    }

    /// <summary>Runs the write rules for each batch (a refused batch fails alone) and builds the transaction.</summary>
    private GroupPlan Plan(IReadOnlyList<PendingBatch> group)
    {
        var revision = Revision;
        var staged = new Dictionary<(ResourceKind, string), StoredObject?>();
        var plan = new GroupPlan();
        var reads = new ReadRecorder(_index);
        foreach (var batch in group)
        {
            var local = new Dictionary<(ResourceKind, string), StoredObject?>();
            var results = new List<(KubeObject Result, bool Changed)>();
            var batchRevision = revision;
            try
            {
                foreach (var w in batch.Writes)
                {
                    var rules = new WriteRules(reads, staged, local, _options.Time, _options.Admission);
                    var outcome = rules.Apply(w, ref batchRevision);
                    results.Add((outcome.Result, outcome.Event != null));
                    if (outcome.Event != null)
                    {
                        local[(outcome.Event.Object.Kind, outcome.Event.Object.Key)] = outcome.Event.Type == WatchEventType.Deleted ? null : outcome.Event.Object;
                    }
                }
            }
            catch (Exception ex) when (ex is StoreException or FormatException or InvalidOperationException or ArgumentException)
            {
                batch.Completion.TrySetException(ex);
                continue;
            }

            if (batch.IsDryRun)
            {
                // Seen by nobody: not staged for later batches, not in the transaction, no revision taken.
                batch.CompleteDryRun(results.Select(r => r.Result).ToList(), reads);
                continue;
            }

            revision = batchRevision;
            foreach (var kv in local)
            {
                staged[kv.Key] = kv.Value;
            }

            plan.Accepted.Add((batch, results));
        }

        foreach (var ((kind, key), value) in staged)
        {
            var etcdKey = ByteString.CopyFromUtf8(_keys.KeyOf(kind, key));
            var before = reads.RevisionRead(kind, key);
            plan.Request.Compare.Add(before == 0
                ? new Compare { Key = etcdKey, Target = Compare.Types.CompareTarget.Version, Result = Compare.Types.CompareResult.Equal, Version = 0 }
                : new Compare { Key = etcdKey, Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Equal, ModRevision = before });
            plan.Request.Success.Add(value == null
                ? new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = etcdKey } }
                : new RequestOp { RequestPut = new PutRequest { Key = etcdKey, Value = ByteString.CopyFrom(value.Json) } });
        }

        return plan;
    }

    /// <summary>
    /// The committed state the rules read, remembering the revision of every object they looked at, so the
    /// transaction compares exactly what the decision was based on (the feed may move memory on meanwhile).
    /// </summary>
    private sealed class ReadRecorder : ICommittedState
    {
        private readonly ObjectIndex _index;
        private readonly Dictionary<(ResourceKind, string), long> _read = new();

        public ReadRecorder(ObjectIndex index) => _index = index;

        public StoredObject? Find(ResourceKind kind, string? ns, string name)
        {
            var key = (kind, StoredObject.KeyOf(kind.Namespaced ? ns ?? "default" : null, name));
            var found = _index.FindByKey(kind, key.Item2);
            if (_read.TryGetValue(key, out var seen) && seen != (found?.Revision ?? 0))
            {
                // Read twice and it moved: answer what was read first, so the decision stays on one version.
                return seen == 0 ? null : found;
            }

            _read[key] = found?.Revision ?? 0;
            return found;
        }

        public IEnumerable<StoredObject> Committed(ResourceKind kind) => _index.Committed(kind);

        public long RevisionRead(ResourceKind kind, string key) => _read.TryGetValue((kind, key), out var r) ? r : 0;
    }

    private sealed class GroupPlan
    {
        public TxnRequest Request { get; } = new();

        public List<(PendingBatch Batch, List<(KubeObject Result, bool Changed)> Results)> Accepted { get; } = new();

        /// <summary>Answers every accepted batch; what was written carries the transaction's revision.</summary>
        public void Complete(long? revision)
        {
            var rv = revision?.ToString(System.Globalization.CultureInfo.InvariantCulture);
            foreach (var (batch, results) in Accepted)
            {
                foreach (var (result, changed) in results)
                {
                    if (changed && rv != null)
                    {
                        result.Metadata.ResourceVersion = rv;
                    }
                }

                batch.Completion.TrySetResult(results.Select(r => r.Result).ToList());
            }
        }

        public void Fail(Exception e)
        {
            foreach (var (batch, _) in Accepted)
            {
                batch.Completion.TrySetException(e);
            }
        }
    }
}
