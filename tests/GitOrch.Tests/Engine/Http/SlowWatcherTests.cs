using System.Net.Sockets;
using System.Text;
using GitOrch.Api.Model;
using GitOrch.Engine.Store;
using GitOrch.Tests.Infrastructure;
using Xunit;

namespace GitOrch.Tests.Engine.Http;

/// <summary>
/// A watch client that stops reading is ended by the store once its unread queue passes the limits (its events
/// are let go), and its connection is closed; watchers that read are not affected.
/// </summary>
public sealed class SlowWatcherTests
{
    [Fact]
    public async Task A_watcher_that_stops_reading_is_dropped_and_a_reading_one_sees_every_event()
    {
        await using var engine = await TestEngine.StartAsync(configure: o => o.Store.ClientWatch = new WatchLimits(50, 1024 * 1024));
        await engine.Client.CreateAsync(ConfigMap("first", 10));

        using var slow = await WatchSocket.OpenAsync(engine, "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1");
        using var reading = await WatchSocket.OpenAsync(engine, "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1");
        var store = (ObjectStore)engine.Store;
        await Eventually.True(() => store.WatcherCount == 2, TimeSpan.FromSeconds(10), "both watches to be registered");
        var readAll = reading.ReadUntilAsync(text => text.Contains("\"name\":\"last\""), TimeSpan.FromSeconds(60));

        // Changes of 20 KB until the store drops the watcher that reads nothing (its limit: 50 events or 1 MiB).
        var created = 1;
        while (store.WatcherCount == 2 && created < 1000)
        {
            await engine.Client.CreateAsync(ConfigMap($"cm-{created++}", 20_000));
        }

        Assert.Equal(1, store.WatcherCount);

        // Its stream ends early: the Engine hangs up on a client that does not read (Kestrel's minimum data rate, or
        // the store's limit and a short grace); a client that reads again in time gets an ERROR 410 event first.
        var slowText = await slow.ReadUntilAsync(_ => false, TimeSpan.FromSeconds(30));
        Assert.True(Count(slowText, "\"type\":\"ADDED\"") < created, "the slow watcher was ended before it got every event");
        Assert.True(!slowText.Contains("\"type\":\"ERROR\"") || slowText.Contains("\"code\":410"), "an ERROR event, if sent, is 410 Expired");

        await engine.Client.CreateAsync(ConfigMap("last", 10));
        var seen = await readAll;
        Assert.Equal(created + 1, Count(seen, "\"type\":\"ADDED\""));
        Assert.DoesNotContain("\"type\":\"ERROR\"", seen);
    }

    internal static ConfigMap ConfigMap(string name, int bytes) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "default" },
        Data = new Dictionary<string, string> { ["blob"] = new string('x', bytes) },
    };

    private static int Count(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }
}

/// <summary>A raw HTTP/1.1 watch on a socket with a small receive buffer: the test decides when (and whether) it reads.</summary>
internal sealed class WatchSocket : IDisposable
{
    private readonly Socket _socket;
    private readonly System.Net.Security.SslStream _tls;
    private readonly StringBuilder _text = new();

    private WatchSocket(Socket socket, System.Net.Security.SslStream tls)
    {
        _socket = socket;
        _tls = tls;
    }

    public static async Task<WatchSocket> OpenAsync(TestEngine engine, string path) => await OpenAsync(engine.BaseUrl, engine.Ca, engine.AdminToken, path);

    /// <summary>TLS over a socket whose small receive buffer still throttles the server: TLS reads only what the test reads.</summary>
    public static async Task<WatchSocket> OpenAsync(Uri baseUrl, GitOrch.Api.Client.Tls.EngineCa ca, string token, string path)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(baseUrl.Host, baseUrl.Port);
        var tls = new System.Net.Security.SslStream(new NetworkStream(socket, ownsSocket: false), false, (_, cert, chain, errors) => ca.Check(cert as System.Security.Cryptography.X509Certificates.X509Certificate2, chain, errors, baseUrl.Host) == null);
        await tls.AuthenticateAsClientAsync(baseUrl.Host);
        var request = $"GET {path} HTTP/1.1\r\nHost: {baseUrl.Authority}\r\nAuthorization: Bearer {token}\r\n\r\n";
        await tls.WriteAsync(Encoding.ASCII.GetBytes(request));
        await tls.FlushAsync();
        return new WatchSocket(socket, tls);
    }

    /// <summary>Reads until the text so far satisfies <paramref name="done"/>, the server closes, or the deadline passes.</summary>
    public async Task<string> ReadUntilAsync(Func<string, bool> done, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var buffer = new byte[64 * 1024];
        try
        {
            while (!done(_text.ToString()))
            {
                var n = await _tls.ReadAsync(buffer, deadline.Token);
                if (n == 0)
                {
                    break;
                }

                _text.Append(Encoding.UTF8.GetString(buffer, 0, n));
            }
        }
        catch (OperationCanceledException)
        {
            // Fall through: the caller asserts on what arrived.
        }
        catch (IOException)
        {
            // The server hung up (over TLS a reset surfaces here rather than as a 0-byte read): the caller asserts on what arrived.
        }

        return _text.ToString();
    }

    public void Dispose()
    {
        _tls.Dispose();
        _socket.Dispose();
    }
}
