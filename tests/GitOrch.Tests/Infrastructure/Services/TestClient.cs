using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GitOrch.Tests.Infrastructure.Services;

/// <summary>A line-oriented client of <see cref="NamedTcpServer"/> (directly or through the proxy).</summary>
internal sealed class TestClient : IDisposable
{
    private readonly Socket _socket;
    private readonly StreamReader _reader;

    private TestClient(Socket socket)
    {
        _socket = socket;
        _reader = new StreamReader(new NetworkStream(socket, ownsSocket: false), Encoding.ASCII);
    }

    public static async Task<TestClient> ConnectAsync(IPEndPoint endpoint, CancellationToken ct = default)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, ct);
            return new TestClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Connects and reads the greeting: the name of the replica that took the connection.</summary>
    public static async Task<string> WhoAsync(IPEndPoint endpoint)
    {
        using var c = await ConnectAsync(endpoint);
        return await c.ReadLineAsync();
    }

    public async Task<string> ReadLineAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        return await _reader.ReadLineAsync(cts.Token) ?? throw new EndOfStreamException("connection closed");
    }

    public async Task<string> EchoAsync(string text)
    {
        await _socket.SendAsync(Encoding.ASCII.GetBytes(text + "\n"), SocketFlags.None);
        return await ReadLineAsync();
    }

    public void HalfClose() => _socket.Shutdown(SocketShutdown.Send);

    public void Dispose()
    {
        _reader.Dispose();
        _socket.Dispose();
    }
}
