using System.Net;
using System.Net.Sockets;

namespace GitOrch.Agent.Proxy.Epoll;

/// <summary>
/// A listening socket whose accepts the epoll loop does. Dispose closes it at once on the caller's thread (so the
/// port refuses from that moment), under a lock the loop also takes around accept, so a closed descriptor number
/// is never used again by the loop.
/// </summary>
internal sealed class EpollListener : IProxyListener
{
    private readonly Socket _socket;
    private readonly EpollLoop _loop;
    private bool _closed;

    public EpollListener(Socket socket, BackendPool pool, EpollLoop loop, long id)
    {
        _socket = socket;
        Pool = pool;
        _loop = loop;
        Id = id;
        Fd = (int)socket.Handle;
    }

    public long Id { get; }

    public int Fd { get; }

    public BackendPool Pool { get; }

    public object Gate { get; } = new();

    public bool Closed => _closed;

    public IPEndPoint Endpoint => (IPEndPoint)_socket.LocalEndPoint!;

    public void Dispose()
    {
        lock (Gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            _loop.Forget(this);
            _socket.Dispose();
        }
    }
}
