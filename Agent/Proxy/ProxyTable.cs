using System.Net;
using System.Net.Sockets;
using GitOrch.Agent.Proxy.Epoll;
using Microsoft.Extensions.Logging;

namespace GitOrch.Agent.Proxy;

/// <summary>
/// The live state of one node's proxy: a listener per route that has ready endpoints, each with its
/// <see cref="BackendPool"/>. <see cref="Apply"/> moves it to a new set of routes in place: backends are swapped
/// (open connections keep their endpoint), routes that lost every endpoint stop listening, new ones start.
/// Safe to call from any thread: changes are serialized under one lock.
/// </summary>
internal sealed partial class ProxyTable : IDisposable
{
    private readonly ServiceProxyOptions _options;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly Dictionary<IPEndPoint, Entry> _entries = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly EpollLoop? _loop;
    private bool _disposed;

    public ProxyTable(ServiceProxyOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        if (options.UseEpoll && NativeMethods.Supported)
        {
            _loop = new EpollLoop(options, Connections);
        }
    }

    /// <summary>Which engine moves the bytes: "epoll" (Linux fast path) or "async" (portable copy loops).</summary>
    public string EngineName => _loop != null ? "epoll" : "async";

    public ConnectionSet Connections { get; } = new();

    /// <summary>Addresses a listener is open on right now.</summary>
    public IReadOnlyList<IPEndPoint> Listening
    {
        get
        {
            lock (_gate)
            {
                return _entries.Where(e => e.Value.Listener != null).Select(e => e.Key).ToList();
            }
        }
    }

    /// <summary>Routes that have endpoints but no listener, because the address and port could not be bound.</summary>
    public IReadOnlyList<string> Unbound
    {
        get
        {
            lock (_gate)
            {
                return _entries.Values.Where(e => e.Listener == null && e.Pool.Endpoints.Length > 0).Select(e => e.Pool.Name).ToList();
            }
        }
    }

    public void Apply(IReadOnlyCollection<ProxyRoute> routes)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var wanted = new HashSet<IPEndPoint>();
            foreach (var route in routes)
            {
                wanted.Add(route.Listen);
                if (_entries.TryGetValue(route.Listen, out var entry) && entry.Pool.Name == route.Name)
                {
                    entry.Pool.Update(route.Backends);
                }
                else
                {
                    // New, or the port passed to another Service: a new pool, so old connections stay with the old one.
                    entry?.Listener?.Dispose();
                    entry = new Entry(new BackendPool(route.Name, route.Backends));
                    _entries[route.Listen] = entry;
                }

                Converge(route.Listen, entry);
            }

            foreach (var stale in _entries.Keys.Where(k => !wanted.Contains(k)).ToList())
            {
                _entries[stale].Listener?.Dispose();
                _entries.Remove(stale);
            }
        }
    }

    /// <summary>Tries again to bind routes whose port was busy.</summary>
    public void RetryUnbound()
    {
        lock (_gate)
        {
            foreach (var (endpoint, entry) in _entries)
            {
                if (!_disposed && entry.Listener == null && entry.Pool.Endpoints.Length > 0)
                {
                    Converge(endpoint, entry);
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _stopping.Cancel();
            foreach (var entry in _entries.Values)
            {
                entry.Listener?.Dispose();
            }

            _entries.Clear();
        }

        _loop?.Dispose();
        Connections.AbortAll();
        _stopping.Dispose();
    }

    private void Converge(IPEndPoint endpoint, Entry entry)
    {
        if (entry.Pool.Endpoints.Length == 0)
        {
            if (entry.Listener != null)
            {
                entry.Listener.Dispose();
                entry.Listener = null;
                Log.Closed(_logger, entry.Pool.Name, endpoint);
            }

            return;
        }

        if (entry.Listener != null)
        {
            return;
        }

        try
        {
            entry.Listener = _loop != null
                ? _loop.Listen(endpoint, entry.Pool)
                : ProxyListener.Start(endpoint, entry.Pool, _options, Connections, _stopping.Token);
            entry.BindError = null;
            Log.Listening(_logger, entry.Pool.Name, endpoint, entry.Pool.Endpoints.Length);
        }
        catch (SocketException e)
        {
            if (entry.BindError != e.SocketErrorCode)
            {
                entry.BindError = e.SocketErrorCode;
                Log.BindFailed(_logger, entry.Pool.Name, endpoint, e.Message);
            }
        }
    }

    private sealed class Entry
    {
        public Entry(BackendPool pool) => Pool = pool;

        public BackendPool Pool { get; }

        public IProxyListener? Listener { get; set; }

        public SocketError? BindError { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Proxy for {Route} listening on {Endpoint} ({Backends} endpoints)")]
        public static partial void Listening(ILogger logger, string route, IPEndPoint endpoint, int backends);

        [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Proxy for {Route} closed {Endpoint}: no ready endpoints")]
        public static partial void Closed(ILogger logger, string route, IPEndPoint endpoint);

        [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Proxy for {Route} cannot listen on {Endpoint}: {Reason}; retrying")]
        public static partial void BindFailed(ILogger logger, string route, IPEndPoint endpoint, string reason);
    }
}
