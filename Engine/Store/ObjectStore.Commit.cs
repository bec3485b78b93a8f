using GitOrch.Api.Model;
using GitOrch.Engine.Validation;

namespace GitOrch.Engine.Store;

public sealed partial class ObjectStore
{
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
        // Content checks need no shared state: run them on the caller's thread, in parallel with other writers.
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
            throw new ObjectDisposedException(nameof(ObjectStore), "the store is closed");
        }

        return batch.Completion.Task.WaitAsync(cancellationToken);
    }

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

            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            CommitGroup(group);
            StoreMetrics.CommitSeconds.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
            StoreMetrics.CommitWrites.Record(writes);
        }
    }

    /// <summary>
    /// Checks each batch against committed state plus the earlier batches of this group, assigns revisions, then
    /// writes the whole group in one LiteDB transaction. Only after the transaction commits do readers and watchers
    /// see the change, so a failed write leaves nothing half-done anywhere.
    /// </summary>
    private void CommitGroup(List<PendingBatch> group)
    {
        var startRevision = _revision;
        var revision = startRevision;
        var staged = new Dictionary<(ResourceKind, string), StoredObject?>();
        var accepted = new List<(PendingBatch Batch, List<StoreEvent> Events, List<KubeObject> Results)>();
        foreach (var batch in group)
        {
            var local = new Dictionary<(ResourceKind, string), StoredObject?>();
            var events = new List<StoreEvent>();
            var results = new List<KubeObject>();
            var batchRevision = revision;
            try
            {
                foreach (var w in batch.Writes)
                {
                    var rules = new WriteRules(this, staged, local, _options.Time, _options.Admission);
                    var outcome = rules.Apply(w, ref batchRevision);
                    results.Add(outcome.Result);
                    if (outcome.Event != null)
                    {
                        events.Add(outcome.Event);
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
                // Seen by nobody: not staged for later batches, no revision taken, no event.
                batch.CompleteDryRun(results, this);
                continue;
            }

            revision = batchRevision;
            foreach (var kv in local)
            {
                staged[kv.Key] = kv.Value;
            }

            accepted.Add((batch, events, results));
        }

        if (staged.Count > 0)
        {
            try
            {
                _file.Write(staged.Select(kv => (LiteDbFile.KeyOf(kv.Key.Item1, kv.Key.Item2), kv.Value)).ToList(), revision);
            }
            catch (Exception ex)
            {
                var failure = new StoreException("InternalError", 500, "the store could not write: " + ex.Message);
                foreach (var a in accepted)
                {
                    a.Batch.Completion.TrySetException(failure);
                }

                return;
            }

            foreach (var kv in staged)
            {
                if (kv.Value == null)
                {
                    _index.Remove(kv.Key.Item1, kv.Key.Item2);
                }
                else
                {
                    _index.Set(kv.Value);
                }
            }

            Interlocked.Exchange(ref _revision, revision);
            _changeLog.Publish(accepted.SelectMany(a => a.Events).ToList());
        }

        foreach (var a in accepted)
        {
            a.Batch.Completion.TrySetResult(a.Results);
        }
    }
}
