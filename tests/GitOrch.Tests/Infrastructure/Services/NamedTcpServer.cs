using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GitOrch.Tests.Infrastructure.Services;

/// <summary>
/// A stand-in replica on loopback: on each connection it writes its name and a newline, then echoes what it reads
/// until the client half-closes, then closes. Counts connections.
/// </summary>
internal sealed class NamedTcpServer : IDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _cts = new();
    private readonly List<Socket> _open = new();
    private int _accepted;

    public NamedTcpServer(string name, string ip, int port = 0)
    {
        Name = name;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Bind(new IPEndPoint(IPAddress.Parse(ip), port));
        _listener.Listen(128);
        Endpoint = (IPEndPoint)_listener.LocalEndPoint!;
        _ = Task.Run(AcceptLoopAsync);
    }

    public string Name { get; }

    public IPEndPoint Endpoint { get; }

    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Stops accepting (new connects are refused); open connections go on.</summary>
    public void StopListening() => _listener.Dispose();

    public void Dispose()
    {
        _cts.Cancel();
        _listener.Dispose();
        lock (_open)
        {
            foreach (var s in _open)
            {
                s.Dispose();
            }
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket s;
            try
            {
                s = await _listener.AcceptAsync(_cts.Token);
            }
            catch (Exception)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            lock (_open)
            {
                _open.Add(s);
            }

            _ = Task.Run(() => ServeAsync(s));
        }
    }

    private async Task ServeAsync(Socket s)
    {
        try
        {
            await s.SendAsync(Encoding.ASCII.GetBytes(Name + "\n"), SocketFlags.None);
            var buffer = new byte[4096];
            while (true)
            {
                var n = await s.ReceiveAsync(buffer, SocketFlags.None);
                if (n == 0)
                {
                    await s.SendAsync(Encoding.ASCII.GetBytes("bye\n"), SocketFlags.None);
                    s.Shutdown(SocketShutdown.Both);
                    break;
                }

                await s.SendAsync(buffer.AsMemory(0, n), SocketFlags.None);
            }
        }
        catch (Exception)
        {
        }
        finally
        {
            s.Dispose();
        }
    }
}
