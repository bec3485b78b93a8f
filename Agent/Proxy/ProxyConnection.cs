using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace GitOrch.Agent.Proxy;

/// <summary>
/// One client connection: connect to an endpoint (round-robin start, a refused or timed-out connect moves on to the
/// next endpoint, each tried once), then copy bytes both ways until both sides have finished. The copy loops use the
/// Memory overloads of Socket (pooled SocketAsyncEventArgs inside, no allocation per read) and two pooled buffers.
/// A half-close is passed on as a half-close; a reset on either side resets both.
/// </summary>
internal sealed class ProxyConnection
{
    private static readonly LingerOption Reset = new(true, 0);
    private readonly Socket _client;
    private readonly BackendPool _pool;
    private readonly ServiceProxyOptions _options;
    private Socket? _upstream;
    private int _aborted;

    public ProxyConnection(Socket client, BackendPool pool, ServiceProxyOptions options)
    {
        _client = client;
        _pool = pool;
        _options = options;
    }

    /// <summary>The endpoint this connection was forwarded to (null until connected).</summary>
    public IPEndPoint? Endpoint { get; private set; }

    /// <summary>How many endpoints refused or timed out before one took the connection.</summary>
    public int FailedAttempts { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            _upstream = await ConnectAsync(cancellationToken).ConfigureAwait(false);
            if (_upstream == null)
            {
                // Nothing took it: refuse at once (RST) rather than leave the client waiting.
                Abort();
                return;
            }

            var toUpstream = PumpAsync(_client, _upstream);
            var toClient = PumpAsync(_upstream, _client);
            await Task.WhenAll(toUpstream, toClient).ConfigureAwait(false);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested || Volatile.Read(ref _aborted) != 0)
        {
        }
        finally
        {
            _client.Dispose();
            _upstream?.Dispose();
        }
    }

    /// <summary>Resets both sides (agent shutdown, or a reset seen on one side).</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return;
        }

        Close(_client);
        if (_upstream != null)
        {
            Close(_upstream);
        }
    }

    private async Task<Socket?> ConnectAsync(CancellationToken cancellationToken)
    {
        var endpoints = _pool.Endpoints;
        if (endpoints.Length == 0)
        {
            return null;
        }

        var start = _pool.NextStart();
        for (var i = 0; i < endpoints.Length; i++)
        {
            var endpoint = endpoints[(start + i) % endpoints.Length];
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.ConnectTimeout);
            try
            {
                await socket.ConnectAsync(endpoint, timeout.Token).ConfigureAwait(false);
                Endpoint = endpoint;
                return socket;
            }
            catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                socket.Dispose();
                FailedAttempts++;
            }
        }

        return null;
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(_options.BufferSize);
        try
        {
            var memory = buffer.AsMemory();
            while (true)
            {
                var n = await from.ReceiveAsync(memory, SocketFlags.None).ConfigureAwait(false);
                if (n == 0)
                {
                    // The sender finished: pass the half-close on and let the other direction run to its end.
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                var sent = 0;
                while (sent < n)
                {
                    sent += await to.SendAsync(memory.Slice(sent, n - sent), SocketFlags.None).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            Abort();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Close(Socket socket)
    {
        try
        {
            socket.LingerState = Reset;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }

        socket.Dispose();
    }
}
