using System.Threading.Channels;

namespace GitOrch.Engine.Sources;

/// <summary>
/// Keys ("ns/name") waiting to be reconciled: deduplicated while queued, never handed to two workers at
/// once (a key added while it is being processed runs again afterwards), delayed adds for polling.
/// </summary>
internal sealed class SourceWorkQueue
{
    private readonly Channel<string> _ready = Channel.CreateUnbounded<string>();
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);
    private readonly HashSet<string> _processing = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ITimer> _timers = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();

    public SourceWorkQueue(TimeProvider time) => _time = time;

    public void Add(string key)
    {
        lock (_lock)
        {
            if (_timers.Remove(key, out var timer))
            {
                timer.Dispose();
            }

            if (_processing.Contains(key))
            {
                _dirty.Add(key);
                return;
            }

            if (_queued.Add(key))
            {
                _ready.Writer.TryWrite(key);
            }
        }
    }

    /// <summary>Adds after a delay, unless something adds the key sooner.</summary>
    public void AddAfter(string key, TimeSpan delay)
    {
        lock (_lock)
        {
            if (_timers.Remove(key, out var old))
            {
                old.Dispose();
            }

            _timers[key] = _time.CreateTimer(_ => Add(key), null, delay, Timeout.InfiniteTimeSpan);
        }
    }

    public void Forget(string key)
    {
        lock (_lock)
        {
            if (_timers.Remove(key, out var timer))
            {
                timer.Dispose();
            }
        }
    }

    public async ValueTask<string> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var key = await _ready.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                _queued.Remove(key);
                if (_processing.Add(key))
                {
                    return key;
                }

                _dirty.Add(key);
            }
        }
    }

    public void Done(string key)
    {
        lock (_lock)
        {
            _processing.Remove(key);
            if (_dirty.Remove(key) && _queued.Add(key))
            {
                _ready.Writer.TryWrite(key);
            }
        }
    }
}
