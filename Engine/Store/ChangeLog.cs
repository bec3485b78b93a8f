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

            foreach (var s in _subscribers)
            {
                foreach (var e in events)
                {
                    s.Offer(e);
                }
            }
        }
    }

    public IStoreWatch Subscribe(ResourceKind? kind, string? ns, long fromRevision, long currentRevision, string? nodeName = null)
    {
        lock (_gate)
        {
            if (fromRevision > 0 && fromRevision < OldestResumable)
            {
                throw StoreException.Gone(fromRevision, OldestResumable);
            }

            var sub = new Subscriber(this, kind, ns, nodeName);
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

    private void Remove(Subscriber s)
    {
        lock (_gate)
        {
            _subscribers.Remove(s);
        }
    }

    private sealed class Subscriber : IStoreWatch
    {
        private readonly ChangeLog _log;
        private readonly ResourceKind? _kind;
        private readonly string? _ns;
        private readonly string? _nodeName;
        private readonly Channel<StoreEvent> _channel = Channel.CreateUnbounded<StoreEvent>(new UnboundedChannelOptions { SingleWriter = true });

        public Subscriber(ChangeLog log, ResourceKind? kind, string? ns, string? nodeName)
        {
            _log = log;
            _kind = kind;
            _ns = ns;
            _nodeName = nodeName;
        }

        public ChannelReader<StoreEvent> Events => _channel.Reader;

        public void Offer(StoreEvent e)
        {
            if ((_kind == null || ReferenceEquals(e.Object.Kind, _kind)) && (_ns == null || e.Object.Namespace == _ns)
                && (_nodeName == null || e.Object.NodeName == _nodeName || e.PreviousNodeName == _nodeName))
            {
                _channel.Writer.TryWrite(e);
            }
        }

        public void Dispose()
        {
            _log.Remove(this);
            _channel.Writer.TryComplete();
        }
    }
}
