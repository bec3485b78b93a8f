using Etcdserverpb;
using GitOrch.Api.Retry;
using Google.Protobuf;
using Grpc.Core;

namespace GitOrch.Engine.Store.Etcd;

public sealed partial class EtcdObjectStore
{
    /// <summary>Reconnects of the feed: 100 ms doubling to 2 s, so a restarted etcd is followed again within seconds.</summary>
    private static readonly Backoff Reconnect = new() { Initial = TimeSpan.FromMilliseconds(100), Factor = 2, Cap = TimeSpan.FromSeconds(2), Jitter = 0.2 };

    /// <summary>How often a waiter asks etcd to confirm the feed's position when no event moves it.</summary>
    private static readonly TimeSpan ProgressAsk = TimeSpan.FromMilliseconds(50);

    private readonly SemaphoreSlim _requestGate = new(1, 1);
    private TaskCompletionSource _advanced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _reconnectNow = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IClientStreamWriter<WatchRequest>? _requests;
    private long _progress;
    private bool _connected;

    /// <summary>
    /// A read that must not be older than any write acknowledged anywhere (the HTTP API's get and list): asks etcd
    /// for its current revision (a quorum read) and waits until this Engine's memory has caught up to it, as
    /// kube-apiserver's consistent reads from its watch cache do. If etcd does not answer, the read is served from
    /// memory: the last known state, which is what a client of a cut-off Engine should get.
    /// </summary>
    public async ValueTask SyncForReadAsync(CancellationToken cancellationToken)
    {
        RangeResponse latest;
        try
        {
            // The newest object in GitOrch's range (its mod_revision) and, in the header, etcd's current revision.
            latest = await _client.GetConnection().KVClient.RangeAsync(
                new RangeRequest
                {
                    Key = ByteString.CopyFromUtf8(_keys.Registry),
                    RangeEnd = ByteString.CopyFromUtf8(EtcdKeys.RangeEnd(_keys.Registry)),
                    SortTarget = RangeRequest.Types.SortTarget.Mod,
                    SortOrder = RangeRequest.Types.SortOrder.Descend,
                    Limit = 1,
                    KeysOnly = true,
                },
                deadline: DateTime.UtcNow + TimeSpan.FromTicks(_etcd.RequestTimeout.Ticks / 5), cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException)
        {
            return;
        }

        ReconnectFeedIfDown();
        if (latest.Kvs.Count > 0)
        {
            await WaitForEventsAsync(latest.Kvs[0].ModRevision, cancellationToken).ConfigureAwait(false);
        }

        // Deletes leave no key to sort by: etcd's word that the feed has passed the current revision covers them.
        await WaitForProgressAsync(latest.Header.Revision, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits (up to the request timeout) until memory holds the events of <paramref name="revision"/>, which must touch GitOrch's range.</summary>
    private Task WaitForEventsAsync(long revision, CancellationToken cancellationToken)
        => WaitAsync(() => Revision >= revision, askProgress: false, cancellationToken);

    /// <summary>
    /// Waits until etcd confirms the feed has passed <paramref name="revision"/> (which may belong to keys outside
    /// GitOrch's range, so no event need come): progress answers. etcd 3.4 may send one a moment before the events
    /// it covers, so this is for "has this Engine caught up", never for "are my own writes in memory".
    /// </summary>
    private Task WaitForProgressAsync(long revision, CancellationToken cancellationToken)
        => WaitAsync(() => Math.Max(Revision, Interlocked.Read(ref _progress)) >= revision, askProgress: true, cancellationToken);

    private async Task WaitAsync(Func<bool> reached, bool askProgress, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + _etcd.RequestTimeout;
        while (!reached() && DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
        {
            var advanced = Volatile.Read(ref _advanced).Task;
            if (reached())
            {
                return;
            }

            if (askProgress)
            {
                await AskProgressAsync().ConfigureAwait(false);
            }

            try
            {
                await advanced.WaitAsync(ProgressAsk, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Look again.
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task AskProgressAsync()
    {
        var requests = Volatile.Read(ref _requests);
        if (requests == null || !await _requestGate.WaitAsync(0).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            await requests.WriteAsync(new WatchRequest { ProgressRequest = new WatchProgressRequest() }).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
            // The stream is being replaced; the feed loop reconnects.
        }
        finally
        {
            _requestGate.Release();
        }
    }

    private async Task FeedLoopAsync(CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                failures = await FollowAsync(stop).ConfigureAwait(false) ? 0 : failures + 1;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException e)
            {
                failures++;
                LogFeedLost(_etcd.Describe(), e.StatusCode, e.Status.Detail);
            }
            catch (FeedCompactedException e)
            {
                LogFeedCompacted(Revision, e.CompactRevision);
                await ReloadAsync(stop).ConfigureAwait(false);
            }

            Volatile.Write(ref _connected, false);
            // WhenAny never throws: a stop ends the delay and is seen just below.
            await Task.WhenAny(Task.Delay(Reconnect.Delay(failures), stop), Volatile.Read(ref _reconnectNow).Task).ConfigureAwait(false);
            if (stop.IsCancellationRequested)
            {
                return;
            }

            Interlocked.Exchange(ref _reconnectNow, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
    }

    /// <summary>
    /// etcd just answered a request while the feed waits out its reconnect backoff (etcd came back): reconnect at
    /// once, so an acknowledged write or a consistent read does not wait for the backoff to find it in memory.
    /// </summary>
    private void ReconnectFeedIfDown()
    {
        if (!Volatile.Read(ref _connected))
        {
            Volatile.Read(ref _reconnectNow).TrySetResult();
        }
    }

    /// <summary>One watch stream from the next revision; true if it delivered anything before it ended.</summary>
    private async Task<bool> FollowAsync(CancellationToken stop)
    {
        using var call = _client.GetConnection().WatchClient.Watch(cancellationToken: stop);
        await call.RequestStream.WriteAsync(new WatchRequest
        {
            CreateRequest = new WatchCreateRequest
            {
                Key = ByteString.CopyFromUtf8(_keys.Registry),
                RangeEnd = ByteString.CopyFromUtf8(EtcdKeys.RangeEnd(_keys.Registry)),
                StartRevision = Revision + 1,
                PrevKv = true,
            },
        }, stop).ConfigureAwait(false);
        Volatile.Write(ref _requests, call.RequestStream);
        var delivered = false;
        try
        {
            while (await call.ResponseStream.MoveNext(stop).ConfigureAwait(false))
            {
                var response = call.ResponseStream.Current;
                if (response.CompactRevision > 0)
                {
                    throw new FeedCompactedException(response.CompactRevision);
                }

                if (response.Canceled)
                {
                    return delivered;
                }

                if (response.Created)
                {
                    Volatile.Write(ref _connected, true);
                    continue;
                }

                delivered = true;
                if (response.Events.Count == 0)
                {
                    // A progress answer: every event up to this revision has been sent (see WaitForProgressAsync).
                    InterlockedMax(ref _progress, response.Header.Revision);
                    Interlocked.Exchange(ref _advanced, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                    continue;
                }

                Apply(response.Events);
            }
        }
        finally
        {
            Volatile.Write(ref _requests, null);
        }

        return delivered;
    }

    /// <summary>Applies events to memory one revision (one etcd transaction) at a time, then tells watchers.</summary>
    private void Apply(IReadOnlyList<Mvccpb.Event> events)
    {
        var changes = new List<StoreEvent>(events.Count);
        var revision = events[0].Kv.ModRevision;
        foreach (var e in events)
        {
            if (e.Kv.ModRevision != revision)
            {
                Advance(revision, changes);
                changes = new List<StoreEvent>();
                revision = e.Kv.ModRevision;
            }

            if (ToStoreEvent(e) is { } change)
            {
                changes.Add(change);
            }
        }

        Advance(revision, changes);
    }

    private StoreEvent? ToStoreEvent(Mvccpb.Event e)
    {
        var deleted = e.Type == Mvccpb.Event.Types.EventType.Delete;
        var stored = deleted ? (e.PrevKv == null ? null : Decode(_keys, e.PrevKv, e.Kv.ModRevision)) : Decode(_keys, e.Kv);
        if (stored == null)
        {
            return null;
        }

        var previous = _index.FindByKey(stored.Kind, stored.Key);
        var type = deleted ? WatchEventType.Deleted : e.Kv.CreateRevision == e.Kv.ModRevision ? WatchEventType.Added : WatchEventType.Modified;
        var change = new StoreEvent(type, stored);
        return previous != null && previous.NodeName != stored.NodeName ? change with { PreviousNodeName = previous.NodeName } : change;
    }

    private void Advance(long revision, IReadOnlyList<StoreEvent> changes)
    {
        foreach (var c in changes)
        {
            if (c.Type == WatchEventType.Deleted)
            {
                _index.Remove(c.Object.Kind, c.Object.Key);
            }
            else
            {
                _index.Set(c.Object);
            }
        }

        if (revision > Revision)
        {
            Interlocked.Exchange(ref _revision, revision);
        }

        if (changes.Count > 0)
        {
            _changeLog.Publish(changes);
        }

        Interlocked.Exchange(ref _advanced, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long seen;
        while ((seen = Interlocked.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    /// <summary>
    /// The feed's resume point was compacted away (this Engine was cut off longer than the history etcd keeps):
    /// reload everything at one revision and end every watcher with 410 so each relists, as a fresh start would.
    /// </summary>
    private async Task ReloadAsync(CancellationToken stop)
    {
        try
        {
            var (revision, objects) = await LoadAsync(_client, _etcd, _keys, stop).ConfigureAwait(false);
            var fresh = objects.ToDictionary(o => (o.Kind, o.Key));
            foreach (var kind in GitOrch.Api.Model.ResourceKinds.All)
            {
                foreach (var gone in _index.Committed(kind).Where(o => !fresh.ContainsKey((kind, o.Key))).ToList())
                {
                    _index.Remove(kind, gone.Key);
                }
            }

            foreach (var o in objects)
            {
                _index.Set(o);
            }

            Interlocked.Exchange(ref _revision, revision);
            _changeLog.Reset(revision);
        }
        catch (RpcException e)
        {
            LogFeedLost(_etcd.Describe(), e.StatusCode, e.Status.Detail);
        }
    }

    private sealed class FeedCompactedException : Exception
    {
        public FeedCompactedException(long compactRevision)
            : base($"watch start revision compacted (oldest kept: {compactRevision})")
            => CompactRevision = compactRevision;

        public long CompactRevision { get; }
    }
}
