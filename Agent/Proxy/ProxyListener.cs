using System.Net;
using System.Net.Sockets;

namespace GitOrch.Agent.Proxy;

/// <summary>
/// A listening socket for one route. It exists only while its route has ready endpoints, so a Service with none
/// refuses connections at once (connection refused) instead of accepting and hanging. Closing it stops new
/// connections only: the ones it accepted live on until their ends close them.
/// </summary>
internal sealed class ProxyListener : IProxyListener
{
    private readonly Socket _socket;
    private readonly BackendPool _pool;
    private readonly ServiceProxyOptions _options;
    private readonly ConnectionSet _connections;
    private readonly CancellationToken _stopping;

    private ProxyListener(Socket socket, BackendPool pool, ServiceProxyOptions options, ConnectionSet connections, CancellationToken stopping)
    {
        _socket = socket;
        _pool = pool;
        _options = options;
        _connections = connections;
        _stopping = stopping;
    }

    public IPEndPoint Endpoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Binds and starts accepting; throws <see cref="SocketException"/> when the address is taken or missing.</summary>
    public static ProxyListener Start(IPEndPoint endpoint, BackendPool pool, ServiceProxyOptions options, ConnectionSet connections, CancellationToken stopping)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // Lets a port be taken again at once after its listener closed, while old connections sit in TIME_WAIT.
            // Linux still refuses a second listener on the same address and port.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endpoint);
            socket.Listen(options.Backlog);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var listener = new ProxyListener(socket, pool, options, connections, stopping);
        _ = Task.Run(listener.AcceptLoopAsync, CancellationToken.None);
        return listener;
    }

    public void Dispose() => _socket.Dispose();

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(_stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            client.NoDelay = true;
            var connection = new ProxyConnection(client, _pool, _options);
            _connections.Run(connection, _stopping);
        }
    }
}
