using GitOrch.Api.Retry;

namespace GitOrch.Engine.Runtime;

/// <summary>
/// The client-go work queue: a key is held at most once while waiting (dirty set), is never handed to two workers at
/// once (processing set; a key added while being processed is queued again on <see cref="Done"/>), can be delayed
/// (<see cref="AddAfter"/>, driven by the injected <see cref="TimeProvider"/>) and retried with per-key exponential
/// backoff (<see cref="AddRateLimited"/> / <see cref="Forget"/>).
/// </summary>
public sealed class WorkQueue<TKey> : IDisposable where TKey : notnull
{
    private readonly object _gate = new();
    private readonly Queue<TKey> _queue = new();
    private readonly HashSet<TKey> _dirty = new();
    private readonly HashSet<TKey> _processing = new();
    private readonly Dictionary<TKey, (DateTimeOffset Due, ITimer Timer)> _delayed = new();
    private readonly Dictionary<TKey, int> _failures = new();
    private readonly SemaphoreSlim _available = new(0);
    private readonly TimeProvider _time;
    private readonly WorkQueueOptions _options;
    private readonly Backoff _backoff;
    private bool _shutDown;

    public WorkQueue(TimeProvider? time = null, WorkQueueOptions? options = null)
    {
        _time = time ?? TimeProvider.System;
        _options = options ?? new WorkQueueOptions();
        _backoff = new Backoff { Initial = _options.BaseRetryDelay, Factor = 2, Cap = _options.MaxRetryDelay };
    }

    /// <summary>Keys waiting to be processed (not counting delayed ones).</summary>
    public int Length
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    public void Add(TKey key)
    {
        lock (_gate)
        {
            if (_shutDown || !_dirty.Add(key))
            {
                return;
            }

            if (_processing.Contains(key))
            {
                return;
            }

            _queue.Enqueue(key);
        }

        _available.Release();
    }

    /// <summary>Adds the key once <paramref name="delay"/> has passed. Of several pending delays for one key the earliest wins.</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        lock (_gate)
        {
            if (_shutDown)
            {
                return;
            }

            var due = _time.GetUtcNow() + delay;
            if (_delayed.TryGetValue(key, out var pending))
            {
                if (pending.Due <= due)
                {
                    return;
                }

                pending.Timer.Dispose();
            }

            var timer = _time.CreateTimer(Fire, key, delay, Timeout.InfiniteTimeSpan);
            _delayed[key] = (due, timer);
        }
    }

    /// <summary>Re-adds a key that failed, after its backoff (base * 2^failures, capped by the options and by <paramref name="maxDelay"/>).</summary>
    public void AddRateLimited(TKey key, TimeSpan? maxDelay = null)
    {
        var delay = NextBackoff(key);
        AddAfter(key, maxDelay is { } cap && cap < delay ? cap : delay);
    }

    /// <summary>Clears the failure history of a key (call after a success).</summary>
    public void Forget(TKey key)
    {
        lock (_gate)
        {
            _failures.Remove(key);
        }
    }

    /// <summary>Counts one more failure of a key without requeueing it (the caller decides when it runs again); returns the count.</summary>
    public int RecordFailure(TKey key)
    {
        lock (_gate)
        {
            _failures.TryGetValue(key, out var n);
            _failures[key] = n + 1;
            return n + 1;
        }
    }

    public int Failures(TKey key)
    {
        lock (_gate)
        {
            return _failures.TryGetValue(key, out var n) ? n : 0;
        }
    }

    /// <summary>Waits for the next key and marks it processing. The caller must call <see cref="Done"/> in a finally.</summary>
    public async Task<TKey> GetAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    continue;
                }

                var key = _queue.Dequeue();
                _processing.Add(key);
                _dirty.Remove(key);
                return key;
            }
        }
    }

    /// <summary>Ends processing of a key; if it was added meanwhile it goes back in the queue now.</summary>
    public void Done(TKey key)
    {
        var requeue = false;
        lock (_gate)
        {
            _processing.Remove(key);
            if (_dirty.Contains(key) && !_shutDown)
            {
                _queue.Enqueue(key);
                requeue = true;
            }
        }

        if (requeue)
        {
            _available.Release();
        }
    }

    public void ShutDown()
    {
        lock (_gate)
        {
            _shutDown = true;
            foreach (var d in _delayed.Values)
            {
                d.Timer.Dispose();
            }

            _delayed.Clear();
        }
    }

    public void Dispose()
    {
        ShutDown();
        _available.Dispose();
    }

    private TimeSpan NextBackoff(TKey key)
    {
        lock (_gate)
        {
            _failures.TryGetValue(key, out var n);
            _failures[key] = n + 1;
            return _backoff.Delay(n + 1);
        }
    }

    private void Fire(object? state)
    {
        var key = (TKey)state!;
        lock (_gate)
        {
            if (!_delayed.Remove(key, out var d))
            {
                return;
            }

            d.Timer.Dispose();
        }

        Add(key);
    }
}
