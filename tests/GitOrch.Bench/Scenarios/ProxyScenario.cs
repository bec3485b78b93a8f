using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using GitOrch.Agent.Proxy;
using GitOrch.Api.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace GitOrch.Bench.Scenarios;

/// <summary>
/// HTTP requests per second and p99 latency through a node's Service proxy against direct connections to the one
/// replica behind it, same load generator, same run, phases interleaved (direct, proxy, direct, proxy; three rounds,
/// medians) so machine noise hits both. The replica is a keep-alive HTTP/1.1 server on loopback (Kestrel for the
/// RESULT figures; a no-work raw socket server as the worst case for a proxy); the load generator keeps
/// <c>--connections</c> connections (default 16) each sending requests back to back, for throughput, and one
/// connection for latency (p99 of an unloaded request: what the extra hop adds).
/// Options: <c>--seconds N</c> per phase (default 3), <c>--connections N</c>, <c>--body N</c> response bytes (default 512).
/// </summary>
public static class ProxyScenario
{
    private static readonly IPAddress ReplicaIp = IPAddress.Parse("127.0.0.80");
    private static readonly IPAddress ProxyIp = IPAddress.Parse("127.0.0.81");
    private const int ServicePort = 18300;

    /// <summary>Rounds of the four phases; figures are the median over rounds, so one descheduled phase on a busy machine does not decide them.</summary>
    private const int Rounds = 3;

    public static async Task<BenchResult> RunAsync(string[] args)
    {
        var seconds = Option(args, "--seconds", 3);
        var connections = Option(args, "--connections", 16);
        var body = Option(args, "--body", 512);

        // Main figures: the replica is a real HTTP server (Kestrel, minimal endpoint), as a Service's Pods are.
        Console.WriteLine("== replica: Kestrel HTTP server ==");
        await using var kestrel = await KestrelReplica.StartAsync(ReplicaIp, body);
        var main = await MeasureAsync(kestrel.Endpoint, kestrel.ResponseLength, seconds, connections);

        // Worst case for a proxy: a replica that does no work at all, so the extra hop is most of the cost.
        Console.WriteLine("== replica: raw socket server (no HTTP work) ==");
        using var raw = new HttpReplica(ReplicaIp, body);
        var trivial = await MeasureAsync(raw.Endpoint, raw.ResponseLength, seconds, connections);

        return new BenchResult("proxy")
            .Add("rps_direct", main.RpsDirect)
            .Add("rps_proxy", main.RpsProxy)
            .Add("p99_direct_ms", Math.Round(main.P99Direct, 3))
            .Add("p99_proxy_ms", Math.Round(main.P99Proxy, 3))
            .Add("added_p99_loaded_ms", Math.Round(main.AddedP99Loaded, 3))
            .Add("rps_ratio_trivial_replica", Math.Round(trivial.RpsProxy / trivial.RpsDirect, 2))
            .Add("added_p99_ms_trivial_replica", Math.Round(trivial.P99Proxy - trivial.P99Direct, 3))
            .Add("rps_ratio", Math.Round(main.RpsProxy / main.RpsDirect, 2))
            .Add("added_p99_ms", Math.Round(main.P99Proxy - main.P99Direct, 3));
    }

    private readonly record struct Figures(double RpsDirect, double RpsProxy, double P99Direct, double P99Proxy, double AddedP99Loaded);

    private static async Task<Figures> MeasureAsync(IPEndPoint replica, int responseLength, int seconds, int connections)
    {
        await using var proxy = new ServiceProxy(new ServiceProxyOptions { NodeName = "bench", NodeAddress = ProxyIp });
        await proxy.StartAsync();
        proxy.Apply(
            new[] { new Service { Metadata = new ObjectMeta { Name = "bench", Namespace = "default" }, Spec = new ServiceSpec { Selector = new() { ["app"] = "bench" }, Ports = new() { new ServicePort { Port = ServicePort, TargetPort = replica.Port } } } } },
            new[] { new Endpoints { Metadata = new ObjectMeta { Name = "bench", Namespace = "default" }, Subsets = new() { new EndpointSubset { Addresses = new() { new EndpointAddress { Ip = ReplicaIp.ToString() } }, Ports = new() { new EndpointPort { Port = replica.Port } } } } } });
        var direct = replica;
        var viaProxy = new IPEndPoint(ProxyIp, ServicePort);
        var request = Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: bench\r\nUser-Agent: gitorch-bench\r\nAccept: */*\r\n\r\n");

        // Warm up both paths (JIT, pools, tiered compilation).
        await Load.RunAsync(direct, request, responseLength, connections, TimeSpan.FromSeconds(1));
        await Load.RunAsync(viaProxy, request, responseLength, connections, TimeSpan.FromSeconds(1));

        var rounds = new List<(Load.Result Direct, Load.Result Proxy, Load.Result DirectOne, Load.Result ProxyOne)>();
        for (var round = 0; round < Rounds; round++)
        {
            var d = await Load.RunAsync(direct, request, responseLength, connections, TimeSpan.FromSeconds(seconds));
            var p = await Load.RunAsync(viaProxy, request, responseLength, connections, TimeSpan.FromSeconds(seconds));
            var d1 = await Load.RunAsync(direct, request, responseLength, 1, TimeSpan.FromSeconds(seconds));
            var p1 = await Load.RunAsync(viaProxy, request, responseLength, 1, TimeSpan.FromSeconds(seconds));
            rounds.Add((d, p, d1, p1));
        }

        Console.WriteLine($"{"path",-28} {"req/s",10} {"p50 ms",8} {"p99 ms",8}");
        for (var i = 0; i < rounds.Count; i++)
        {
            var r = rounds[i];
            Print($"direct, {connections} conns (round {i + 1})", r.Direct);
            Print($"proxy, {connections} conns (round {i + 1})", r.Proxy);
            Print($"direct, 1 conn (round {i + 1})", r.DirectOne);
            Print($"proxy, 1 conn (round {i + 1})", r.ProxyOne);
        }

        var rpsDirect = Median(rounds.Select(r => r.Direct.Rps));
        var rpsProxy = Median(rounds.Select(r => r.Proxy.Rps));
        var p99Direct = Median(rounds.Select(r => r.DirectOne.P99Ms));
        var p99Proxy = Median(rounds.Select(r => r.ProxyOne.P99Ms));
        var p99LoadedDirect = Median(rounds.Select(r => r.Direct.P99Ms));
        var p99LoadedProxy = Median(rounds.Select(r => r.Proxy.P99Ms));
        Console.WriteLine($"throughput ratio (proxy/direct, {connections} conns): {rpsProxy / rpsDirect:0.00}");
        Console.WriteLine($"added p99, 1 conn: {p99Proxy - p99Direct:0.000} ms; added p99, {connections} conns: {p99LoadedProxy - p99LoadedDirect:0.000} ms");
        return new Figures(rpsDirect, rpsProxy, p99Direct, p99Proxy, p99LoadedProxy - p99LoadedDirect);
    }

    private static double Median(IEnumerable<double> values) => Stats.Percentile(values.ToList(), 50);

    private static void Print(string name, Load.Result r) => Console.WriteLine($"{name,-28} {r.Rps,10:0} {r.P50Ms,8:0.000} {r.P99Ms,8:0.000}");

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }

    /// <summary>Closed-loop HTTP/1.1 keep-alive load: each connection sends a request, reads the whole response, repeats.</summary>
    private static class Load
    {
        public readonly record struct Result(double Rps, double P50Ms, double P99Ms);

        public static async Task<Result> RunAsync(IPEndPoint target, byte[] request, int responseLength, int connections, TimeSpan duration)
        {
            var latencies = new List<double>[connections];
            var sw = Stopwatch.StartNew();
            var until = sw.Elapsed + duration;
            await Task.WhenAll(Enumerable.Range(0, connections).Select(i => Task.Run(async () =>
            {
                var mine = latencies[i] = new List<double>(200_000);
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(target);
                var buffer = new byte[Math.Max(4096, responseLength)];
                while (sw.Elapsed < until)
                {
                    var start = Stopwatch.GetTimestamp();
                    await socket.SendAsync(request, SocketFlags.None);
                    var got = 0;
                    while (got < responseLength)
                    {
                        var n = await socket.ReceiveAsync(buffer.AsMemory(got), SocketFlags.None);
                        if (n == 0)
                        {
                            throw new IOException("server closed the connection");
                        }

                        got += n;
                    }

                    mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            })));
            var elapsed = sw.Elapsed.TotalSeconds;
            var all = latencies.SelectMany(l => l).ToList();
            return new Result(all.Count / elapsed, Stats.Percentile(all, 50), Stats.Percentile(all, 99));
        }
    }

    /// <summary>A minimal ASP.NET Core (Kestrel) app answering GET / with a fixed body: a typical HTTP replica.</summary>
    private sealed class KestrelReplica : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private KestrelReplica(WebApplication app, IPEndPoint endpoint, int responseLength)
        {
            _app = app;
            Endpoint = endpoint;
            ResponseLength = responseLength;
        }

        public IPEndPoint Endpoint { get; }

        public int ResponseLength { get; }

        public static async Task<KestrelReplica> StartAsync(IPAddress ip, int bodyBytes)
        {
            var port = FreePort(ip);
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k =>
            {
                k.Listen(ip, port);
                k.AddServerHeader = false;
            });
            var app = builder.Build();
            var body = Encoding.ASCII.GetBytes(new string('x', bodyBytes));
            app.MapGet("/", (HttpContext ctx) =>
            {
                ctx.Response.ContentType = "text/plain";
                ctx.Response.ContentLength = body.Length;
                return ctx.Response.Body.WriteAsync(body).AsTask();
            });
            await app.StartAsync();

            // The exact response size, so the load generator reads whole responses without parsing headers.
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await probe.ConnectAsync(new IPEndPoint(ip, port));
            await probe.SendAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n"), SocketFlags.None);
            var total = 0;
            var buffer = new byte[65536];
            int n;
            while ((n = await probe.ReceiveAsync(buffer.AsMemory(total), SocketFlags.None)) > 0)
            {
                total += n;
            }

            // "Connection: close" adds a header the keep-alive responses do not carry.
            var text = Encoding.ASCII.GetString(buffer, 0, total);
            var closeHeader = text.Contains("Connection: close\r\n", StringComparison.OrdinalIgnoreCase) ? "Connection: close\r\n".Length : 0;
            return new KestrelReplica(app, new IPEndPoint(ip, port), total - closeHeader);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        private static int FreePort(IPAddress ip)
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(ip, 0));
            return ((IPEndPoint)s.LocalEndPoint!).Port;
        }
    }

    /// <summary>
    /// The replica: a small keep-alive HTTP/1.1 server that answers every request (read up to the blank line) with the
    /// same 200 response, so the figures measure the network path, not a web framework.
    /// </summary>
    private sealed class HttpReplica : IDisposable
    {
        private readonly Socket _listener;
        private readonly byte[] _response;
        private readonly CancellationTokenSource _cts = new();

        public HttpReplica(IPAddress ip, int bodyBytes)
        {
            var body = new string('x', bodyBytes);
            _response = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {bodyBytes}\r\n\r\n{body}");
            _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _listener.Bind(new IPEndPoint(ip, 0));
            _listener.Listen(512);
            Endpoint = (IPEndPoint)_listener.LocalEndPoint!;
            _ = Task.Run(AcceptAsync);
        }

        public IPEndPoint Endpoint { get; }

        public int ResponseLength => _response.Length;

        public void Dispose()
        {
            _cts.Cancel();
            _listener.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (!_cts.IsCancellationRequested)
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

                s.NoDelay = true;
                _ = Task.Run(() => ServeAsync(s));
            }
        }

        private async Task ServeAsync(Socket s)
        {
            using var _ = s;
            var buffer = new byte[8192];
            var filled = 0;
            try
            {
                while (true)
                {
                    var n = await s.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None);
                    if (n == 0)
                    {
                        return;
                    }

                    filled += n;
                    int end;
                    while ((end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) >= 0)
                    {
                        await s.SendAsync(_response, SocketFlags.None);
                        var rest = filled - (end + 4);
                        buffer.AsSpan(end + 4, rest).CopyTo(buffer);
                        filled = rest;
                    }
                }
            }
            catch (SocketException)
            {
            }
        }
    }
}
