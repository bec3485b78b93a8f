using System.Threading.Channels;
using GitOrch.Api.Model;

namespace GitOrch.Engine.Store;

/// <summary>
/// The bounded in-memory history of committed changes, and the watchers that follow it. Registration and
/// publication share one lock, so a watcher sees every event after its start revision exactly once.
/// </summary>
internal sealed class ChangeLog
{
    private readonly object _gate = new();
    private readonly StoreEvent[] _ring;
    private readonly List<Subscriber> _subscribers = new();
    private long _count;

    public ChangeLog(int capacity, long startRevision)
    {
        _ring = new StoreEvent[Math.Max(16, capacity)];
        OldestResumable = startRevision;
    }

    /// <summary>Every event after this revision is still in the log.</summary>
    public long OldestResumable { get; private set; }

    public int WatcherCount
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    public void Publish(IReadOnlyList<StoreEvent> events)
    {
        lock (_gate)
        {
            foreach (var e in events)
            {
                var slot = (int)(_count % _ring.Length);
                if (_count >= _ring.Length)
                {
                    OldestResumable = _ring[slot].Revision;
                }

                _ring[slot] = e;
                _count++;
            }

            List<Subscriber>? behind = null;
            foreach (var s in _subscribers)
            {
                foreach (var e in events)
                {
                    if (!s.Offer(e))
                    {
                        (behind ??= new()).Add(s);
                        break;
                    }
                }
            }

            // A watcher whose queue is full is dropped here, not left to pin every event it has not read.
            if (behind != null)
            {
                foreach (var s in behind)
                {
                    _subscribers.Remove(s);
                }
            }
        }
    }

    public IStoreWatch Subscribe(ResourceKind? kind, string? ns, long fromRevision, long currentRevision, string? nodeName = null, WatchLimits? limits = null)
    {
        lock (_gate)
        {
            if (fromRevision > 0 && fromRevision < OldestResumable)
            {
                throw StoreException.Gone(fromRevision, OldestResumable);
            }

            var sub = new Subscriber(this, kind, ns, nodeName, limits);
            if (fromRevision > 0 && fromRevision < currentRevision)
            {
                var n = (int)Math.Min(_count, _ring.Length);
                for (var i = 0; i < n; i++)
                {
                    var e = _ring[(int)((_count - n + i) % _ring.Length)];
                    if (e.Revision > fromRevision)
                    {
                        sub.Offer(e);
                    }
                }
            }

            _subscribers.Add(sub);
            return sub;
        }
    }

    /// <summary>
    /// Forgets the history and ends every watcher with 410 Gone, so each relists: what a store does when it had to
    /// reload its state from the source (an etcd watch that fell behind compaction) and cannot say what changed.
    /// </summary>
    public void Reset(long revision)
    {
        lock (_gate)
        {
            foreach (var s in _subscribers)
            {
                s.End(StoreException.Gone(OldestResumable, revision));
            }

            _subscribers.Clear();
            Array.Clear(_ring);
            _count = 0;
            OldestResumable = revision;
        }
    }

    private void Remove(Subscriber s)
    {
        lock (_gate)
        {
            _subscribers.Remove(s);
        }
    }

    /// <summary>
    /// One watcher's queue. Events are shared with every other watcher and the ring (no copies); what a watcher
    /// costs is what it keeps alive by not reading, so with <see cref="WatchLimits"/> the queue is bounded by count
    /// and by the bytes of JSON it holds, and a watcher that reaches either bound is ended with
    /// <see cref="StoreException.FellBehind"/> (kube-apiserver's watch cache closes a blocked watcher the same way;
    /// the client relists). Without limits (the Engine's own informers) the queue is unbounded.
    /// </summary>
    private sealed class Subscriber : ChannelReader<StoreEvent>, IStoreWatch
    {
        private readonly ChangeLog _log;
        private readonly ResourceKind? _kind;
        private readonly string? _ns;
        private readonly string? _nodeName;
        private readonly WatchLimits? _limits;
        private readonly Channel<StoreEvent> _channel = Channel.CreateUnbounded<StoreEvent>(new UnboundedChannelOptions { SingleWriter = true });
        private int _queuedEvents;
        private long _queuedBytes;

        public Subscriber(ChangeLog log, ResourceKind? kind, string? ns, string? nodeName, WatchLimits? limits)
        {
            _log = log;
            _kind = kind;
            _ns = ns;
            _nodeName = nodeName;
            _limits = limits;
        }

        public ChannelReader<StoreEvent> Events => this;

        public override Task Completion => _channel.Reader.Completion;

        /// <summary>False when this event overflowed the watcher's limits and ended it.</summary>
        public bool Offer(StoreEvent e)
        {
            if ((_kind != null && !ReferenceEquals(e.Object.Kind, _kind)) || (_ns != null && e.Object.Namespace != _ns)
                || (_nodeName != null && e.Object.NodeName != _nodeName && e.PreviousNodeName != _nodeName))
            {
                return true;
            }

            if (_limits != null)
            {
                var events = Interlocked.Increment(ref _queuedEvents);
                var bytes = Interlocked.Add(ref _queuedBytes, e.Object.Json.Length);
                if (events > _limits.MaxEvents || bytes > _limits.MaxBytes)
                {
                    // Let go of what it holds now (its client must relist anyway), so the watch ends at once.
                    while (_channel.Reader.TryRead(out _))
                    {
                    }

                    _channel.Writer.TryComplete(StoreException.FellBehind(events, bytes));
                    return false;
                }
            }

            _channel.Writer.TryWrite(e);
            return true;
        }

        public void End(Exception reason) => _channel.Writer.TryComplete(reason);

        public override bool TryRead([System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out StoreEvent item)
        {
            if (!_channel.Reader.TryRead(out item))
            {
                return false;
            }

            if (_limits != null)
            {
                Interlocked.Decrement(ref _queuedEvents);
                Interlocked.Add(ref _queuedBytes, -item.Object.Json.Length);
            }

            return true;
        }

        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default)
            => _channel.Reader.WaitToReadAsync(cancellationToken);

        public void Dispose()
        {
            _log.Remove(this);
            _channel.Writer.TryComplete();
        }
    }
}
