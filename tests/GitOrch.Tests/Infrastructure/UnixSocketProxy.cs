using System.Net.Sockets;

namespace GitOrch.Tests.Infrastructure;

/// <summary>
/// A unix-socket forwarder in front of the Docker socket. <see cref="Stop"/> makes "Docker" unreachable for whoever
/// uses the proxy (listener closed, open connections cut, socket file gone) without disturbing the real engine
/// that other tests on this machine share; <see cref="Start"/> brings it back.
/// </summary>
public sealed class UnixSocketProxy : IDisposable
{
    private readonly string _target;
    private readonly List<Socket> _open = [];
    private Socket? _listener;
    private CancellationTokenSource? _cts;

    public UnixSocketProxy(string path, string target = "/var/run/docker.sock")
    {
        Path = path;
        _target = target;
    }

    public string Path { get; }

    public Uri Endpoint => new("unix://" + Path);

    public void Start()
    {
        File.Delete(Path);
        _cts = new CancellationTokenSource();
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(Path));
        _listener.Listen(64);
        _ = AcceptLoopAsync(_listener, _cts.Token);
    }

    public void Stop()
    {
        _cts?.Cancel();
        _listener?.Dispose();
        _listener = null;
        lock (_open)
        {
            foreach (var s in _open)
            {
                s.Dispose();
            }

            _open.Clear();
        }

        File.Delete(Path);
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(ct);
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                return;
            }

            _ = PipeAsync(client, ct);
        }
    }

    private async Task PipeAsync(Socket client, CancellationToken ct)
    {
        var upstream = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        lock (_open)
        {
            _open.Add(client);
            _open.Add(upstream);
        }

        try
        {
            await upstream.ConnectAsync(new UnixDomainSocketEndPoint(_target), ct);
            await using var a = new NetworkStream(client, ownsSocket: false);
            await using var b = new NetworkStream(upstream, ownsSocket: false);
            var one = a.CopyToAsync(b, ct);
            var two = b.CopyToAsync(a, ct);
            await Task.WhenAny(one, two);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            client.Dispose();
            upstream.Dispose();
            lock (_open)
            {
                _open.Remove(client);
                _open.Remove(upstream);
            }
        }
    }

    public void Dispose() => Stop();
}
