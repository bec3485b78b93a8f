using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using static GitOrch.Agent.Proxy.Epoll.NativeMethods;

namespace GitOrch.Agent.Proxy.Epoll;

/// <summary>
/// The proxy's fast path on Linux: one thread, one epoll set, every listener and every proxied connection in it,
/// non-blocking sockets and plain recv/send into two pooled buffers per connection. A message costs one recv and
/// one send, with no thread hop and no allocation, and one epoll_wait serves every socket that became ready
/// together, which is how event-driven proxies (HAProxy, nginx) keep the extra hop cheap. Level-triggered: a socket
/// is read only while the buffer toward its peer is empty, so a slow reader holds back its writer (backpressure)
/// instead of growing memory. Connect failures (refused at once or timed out) move on to the next endpoint.
/// </summary>
internal sealed class EpollLoop : IDisposable
{
    private const long ListenerTag = 0;
    private const long ClientTag = 1;
    private const long UpstreamTag = 2;
    private const long WakeTag = 3;
    private const int MaxEvents = 256;

    private readonly ServiceProxyOptions _options;
    private readonly ConnectionSet _connections;
    private readonly int _epfd;
    private readonly int _wakeFd;
    private readonly ConcurrentDictionary<long, EpollListener> _listeners = new();
    private readonly Dictionary<long, Tunnel> _tunnels = new();
    private readonly HashSet<Tunnel> _connecting = new();
    private readonly Thread _thread;
    private readonly long _connectTimeoutTicks;
    private long _nextId;
    private volatile bool _stopping;
    private int _disposed;

    public EpollLoop(ServiceProxyOptions options, ConnectionSet connections)
    {
        _options = options;
        _connections = connections;
        _connectTimeoutTicks = (long)(options.ConnectTimeout.TotalSeconds * Stopwatch.Frequency);
        _epfd = epoll_create1(CloExec);
        if (_epfd < 0)
        {
            throw new SocketException(Errno);
        }

        _wakeFd = eventfd(0, NonBlock | CloExec);
        if (_wakeFd < 0)
        {
            var e = Errno;
            close(_epfd);
            throw new SocketException(e);
        }

        Control(_epfd, EpollCtlAdd, _wakeFd, EpollIn, Encode(0, WakeTag));
        _thread = new Thread(Run) { IsBackground = true, Name = "gitorch-proxy" };
        _thread.Start();
    }

    /// <summary>Binds, listens and adds the port to the loop; throws <see cref="SocketException"/> when the address is taken.</summary>
    public IProxyListener Listen(IPEndPoint endpoint, BackendPool pool)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endpoint);
            socket.Listen(_options.Backlog);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var listener = new EpollListener(socket, pool, this, Interlocked.Increment(ref _nextId));
        SetNonBlocking(listener.Fd);
        _listeners[listener.Id] = listener;
        Control(_epfd, EpollCtlAdd, listener.Fd, EpollIn, Encode(listener.Id, ListenerTag));
        return listener;
    }

    /// <summary>Called by a listener closing (under its lock): the loop stops looking at it.</summary>
    internal void Forget(EpollListener listener)
    {
        _listeners.TryRemove(listener.Id, out _);
        Control(_epfd, EpollCtlDel, listener.Fd, 0, 0);
    }

    /// <summary>Stops the loop and resets every open connection.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping = true;
        long one = 1;
        write(_wakeFd, ref one, sizeof(long));
        _thread.Join(TimeSpan.FromSeconds(5));
        close(_wakeFd);
        close(_epfd);
    }

    private static long Encode(long id, long tag) => (id << 2) | tag;

    private void Run()
    {
        var size = EventSize;
        var offset = EventDataOffset;
        var events = new byte[size * MaxEvents];
        try
        {
            while (!_stopping)
            {
                var n = epoll_wait(_epfd, ref events[0], MaxEvents, _connecting.Count > 0 ? 50 : -1);
                if (n < 0)
                {
                    if (Errno == EIntr)
                    {
                        continue;
                    }

                    return;
                }

                for (var i = 0; i < n; i++)
                {
                    var ev = BitConverter.ToUInt32(events, i * size);
                    var data = BitConverter.ToInt64(events, (i * size) + offset);
                    var id = data >> 2;
                    switch (data & 3)
                    {
                        case WakeTag:
                            long drained = 0;
                            read(_wakeFd, ref drained, sizeof(long));
                            break;
                        case ListenerTag:
                            if (_listeners.TryGetValue(id, out var listener))
                            {
                                Accept(listener);
                            }

                            break;
                        default:
                            if (_tunnels.TryGetValue(id, out var tunnel))
                            {
                                OnReady(tunnel, (data & 3) == ClientTag, ev);
                            }

                            break;
                    }
                }

                if (_connecting.Count > 0)
                {
                    ExpireConnects();
                }
            }
        }
        finally
        {
            foreach (var t in _tunnels.Values.ToList())
            {
                Close(t, abortive: true);
            }
        }
    }

    private void Accept(EpollListener listener)
    {
        lock (listener.Gate)
        {
            for (var k = 0; k < 64 && !listener.Closed; k++)
            {
                var fd = accept4(listener.Fd, 0, 0, NonBlock | CloExec);
                if (fd < 0)
                {
                    if (Errno == EIntr)
                    {
                        continue;
                    }

                    return;
                }

                SetInt(fd, IpProtoTcp, TcpNoDelay, 1);
                var endpoints = listener.Pool.Endpoints;
                if (endpoints.Length == 0)
                {
                    // Lost its last endpoint since the listener was opened: refuse at once.
                    SetAbortive(fd);
                    close(fd);
                    continue;
                }

                var pool = ArrayPool<byte>.Shared;
                var tunnel = new Tunnel(Interlocked.Increment(ref _nextId), fd, endpoints, listener.Pool.NextStart(), pool.Rent(_options.BufferSize), pool.Rent(_options.BufferSize));
                _tunnels[tunnel.Id] = tunnel;
                _connections.TunnelOpened();
                Connect(tunnel);
            }
        }
    }

    /// <summary>Connects to the next endpoint in the tunnel's rotation; one refused at once moves on to the next.</summary>
    private void Connect(Tunnel t)
    {
        while (t.Attempt < t.Endpoints.Length)
        {
            var endpoint = t.Endpoints[(t.Start + t.Attempt) % t.Endpoints.Length];
            t.Attempt++;
            var fd = socket(endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? 10 : 2, SockStream | NonBlock | CloExec, 0);
            if (fd < 0)
            {
                break;
            }

            SetInt(fd, IpProtoTcp, TcpNoDelay, 1);
            var addr = SockAddr(endpoint);
            var r = connect(fd, ref addr[0], addr.Length);
            if (r == 0 || Errno == EInProgress)
            {
                t.UpstreamFd = fd;
                if (r == 0)
                {
                    Connected(t);
                    return;
                }

                t.ConnectDeadline = Stopwatch.GetTimestamp() + _connectTimeoutTicks;
                _connecting.Add(t);
                t.UpstreamMask = EpollOut;
                Control(_epfd, EpollCtlAdd, fd, EpollOut, Encode(t.Id, UpstreamTag));
                return;
            }

            close(fd);
        }

        // Every endpoint refused: reset the client now rather than leave it waiting.
        Close(t, abortive: true);
    }

    private void ConnectFailed(Tunnel t)
    {
        _connecting.Remove(t);
        close(t.UpstreamFd);
        t.UpstreamFd = -1;
        t.UpstreamMask = null;
        Connect(t);
    }

    private void Connected(Tunnel t)
    {
        _connecting.Remove(t);
        t.Connected = true;
        UpdateInterest(t);
    }

    private void ExpireConnects()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var t in _connecting.Where(t => now > t.ConnectDeadline).ToList())
        {
            ConnectFailed(t);
        }
    }

    private void OnReady(Tunnel t, bool client, uint ev)
    {
        if (!client && !t.Connected)
        {
            var error = 0;
            var len = sizeof(int);
            getsockopt(t.UpstreamFd, SolSocket, SoError, ref error, ref len);
            if (error != 0 || (ev & (EpollErr | EpollHup)) != 0)
            {
                ConnectFailed(t);
            }
            else
            {
                Connected(t);
            }

            return;
        }

        if ((ev & EpollErr) != 0)
        {
            Close(t, abortive: true);
            return;
        }

        // Write first: it may empty the buffer that gates reading the other side.
        if ((ev & EpollOut) != 0 && !Flush(t, toUpstream: !client))
        {
            Close(t, abortive: true);
            return;
        }

        if ((ev & (EpollIn | EpollHup)) != 0 && (client ? !t.ClientDone && t.ToUpstreamLength == 0 : !t.UpstreamDone && t.ToClientLength == 0))
        {
            if (!Read(t, fromClient: client))
            {
                Close(t, abortive: true);
                return;
            }
        }

        if ((ev & EpollHup) != 0 && (client ? t.ClientDone : t.UpstreamDone))
        {
            // The peer can take nothing more and has nothing more to send: what is buffered for the other side was
            // just flushed (or is stuck): end the tunnel, gracefully if nothing is left behind.
            Flush(t, toUpstream: client);
            Close(t, abortive: t.ToClientLength + t.ToUpstreamLength > 0 || !(client ? t.UpstreamDone : t.ClientDone));
            return;
        }

        Progress(t);
    }

    /// <summary>Passes a finished direction's FIN on once its buffer is flushed; closes when both are finished.</summary>
    private void Progress(Tunnel t)
    {
        if (t.ClientDone && t.ToUpstreamLength == 0 && !t.UpstreamShut)
        {
            shutdown(t.UpstreamFd, ShutWr);
            t.UpstreamShut = true;
        }

        if (t.UpstreamDone && t.ToClientLength == 0 && !t.ClientShut)
        {
            shutdown(t.ClientFd, ShutWr);
            t.ClientShut = true;
        }

        if (t.ClientShut && t.UpstreamShut)
        {
            Close(t, abortive: false);
            return;
        }

        UpdateInterest(t);
    }

    /// <summary>One recv into the buffer toward the peer, then as much of it sent as the peer takes. False: the connection broke.</summary>
    private bool Read(Tunnel t, bool fromClient)
    {
        var buffer = fromClient ? t.ToUpstream : t.ToClient;
        var n = recv(fromClient ? t.ClientFd : t.UpstreamFd, ref buffer[0], buffer.Length, 0);
        if (n > 0)
        {
            if (fromClient)
            {
                t.ToUpstreamOffset = 0;
                t.ToUpstreamLength = (int)n;
            }
            else
            {
                t.ToClientOffset = 0;
                t.ToClientLength = (int)n;
            }

            return Flush(t, toUpstream: fromClient);
        }

        if (n == 0)
        {
            if (fromClient)
            {
                t.ClientDone = true;
            }
            else
            {
                t.UpstreamDone = true;
            }

            return true;
        }

        var e = Errno;
        return e == EAgain || e == EIntr;
    }

    private static bool Flush(Tunnel t, bool toUpstream)
    {
        var buffer = toUpstream ? t.ToUpstream : t.ToClient;
        var offset = toUpstream ? t.ToUpstreamOffset : t.ToClientOffset;
        var length = toUpstream ? t.ToUpstreamLength : t.ToClientLength;
        var fd = toUpstream ? t.UpstreamFd : t.ClientFd;
        var ok = true;
        while (length > 0)
        {
            var n = send(fd, ref buffer[offset], length, MsgNoSignal);
            if (n > 0)
            {
                offset += (int)n;
                length -= (int)n;
                continue;
            }

            var e = Errno;
            if (e == EIntr)
            {
                continue;
            }

            ok = e == EAgain;
            break;
        }

        if (toUpstream)
        {
            t.ToUpstreamOffset = offset;
            t.ToUpstreamLength = length;
        }
        else
        {
            t.ToClientOffset = offset;
            t.ToClientLength = length;
        }

        return ok;
    }

    private void UpdateInterest(Tunnel t)
    {
        var clientMask = (t.Connected && !t.ClientDone && t.ToUpstreamLength == 0 ? EpollIn : 0) | (t.ToClientLength > 0 ? EpollOut : 0);
        var upstreamMask = (!t.UpstreamDone && t.ToClientLength == 0 ? EpollIn : 0) | (t.ToUpstreamLength > 0 ? EpollOut : 0);
        if (t.ClientMask != clientMask)
        {
            Control(_epfd, t.ClientMask == null ? EpollCtlAdd : EpollCtlMod, t.ClientFd, clientMask, Encode(t.Id, ClientTag));
            t.ClientMask = clientMask;
        }

        if (t.UpstreamMask != upstreamMask)
        {
            Control(_epfd, t.UpstreamMask == null ? EpollCtlAdd : EpollCtlMod, t.UpstreamFd, upstreamMask, Encode(t.Id, UpstreamTag));
            t.UpstreamMask = upstreamMask;
        }
    }

    private void Close(Tunnel t, bool abortive)
    {
        if (!_tunnels.Remove(t.Id))
        {
            return;
        }

        _connecting.Remove(t);
        if (abortive)
        {
            SetAbortive(t.ClientFd);
            if (t.UpstreamFd >= 0)
            {
                SetAbortive(t.UpstreamFd);
            }
        }

        // Closing a descriptor also takes it out of the epoll set.
        close(t.ClientFd);
        if (t.UpstreamFd >= 0)
        {
            close(t.UpstreamFd);
        }

        ArrayPool<byte>.Shared.Return(t.ToUpstream);
        ArrayPool<byte>.Shared.Return(t.ToClient);
        _connections.TunnelClosed(retried: t.Attempt > 1);
    }
}
