using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using GitOrch.Agent.Proxy;
using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Services;
using Xunit;

namespace GitOrch.Tests.Agent.Proxy;

/// <summary>The proxy tests on the Linux epoll engine (the default).</summary>
[Collection(ProxyLoopbackCollection.Name)]
public sealed class EpollServiceProxyTests : ServiceProxyTests
{
    protected override bool UseEpoll => true;

    [Fact]
    public void The_epoll_engine_is_the_one_in_use_on_linux()
        => Assert.Equal(OperatingSystem.IsLinux() ? "epoll" : "async", Proxy.Table.EngineName);
}

/// <summary>The same tests on the portable async copy-loop engine.</summary>
[Collection(ProxyLoopbackCollection.Name)]
public sealed class AsyncServiceProxyTests : ServiceProxyTests
{
    protected override bool UseEpoll => false;
}

/// <summary>Both engines bind the same loopback addresses and ports: one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ProxyLoopbackCollection
{
    public const string Name = "proxy-loopback";
}

/// <summary>
/// The node proxy against plain TCP replicas on loopback. The proxy listens on 127.0.0.50 (proxy address) and
/// 127.0.0.51 (node address); replicas sit on 127.0.0.60-69.
/// </summary>
public abstract class ServiceProxyTests : IAsyncLifetime
{
    private const string ProxyIp = "127.0.0.50";
    private const string NodeIp = "127.0.0.51";
    private readonly List<NamedTcpServer> _servers = new();
    private ServiceProxy _proxy = null!;

    protected abstract bool UseEpoll { get; }

    internal ServiceProxy Proxy => _proxy;

    public async Task InitializeAsync()
    {
        _proxy = new ServiceProxy(new ServiceProxyOptions
        {
            UseEpoll = UseEpoll,
            NodeName = "node-test",
            NodeAddress = IPAddress.Parse(NodeIp),
            ProxyAddress = IPAddress.Parse(ProxyIp),
            ConnectTimeout = TimeSpan.FromMilliseconds(500),
            RebindInterval = TimeSpan.FromMilliseconds(100),
        });
        await _proxy.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        foreach (var s in _servers)
        {
            s.Dispose();
        }
    }

    private NamedTcpServer Replica(string name, string ip)
    {
        var s = new NamedTcpServer(name, ip);
        _servers.Add(s);
        return s;
    }

    private static Service Svc(string name, int port, int? nodePort = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "default", CreationTimestamp = DateTimeOffset.UnixEpoch },
        Spec = new ServiceSpec
        {
            Type = nodePort == null ? null : "NodePort",
            Selector = new() { ["app"] = name },
            Ports = new() { new ServicePort { Name = "tcp", Port = port, NodePort = nodePort } },
        },
    };

    /// <summary>Endpoints as the controller writes them: one subset per replica port, unready ones apart.</summary>
    private static Endpoints Eps(string name, IEnumerable<IPEndPoint> ready, IEnumerable<IPEndPoint>? notReady = null)
    {
        var subsets = ready.Select(e => (e, true)).Concat((notReady ?? Array.Empty<IPEndPoint>()).Select(e => (e, false)))
            .GroupBy(x => x.e.Port)
            .Select(g => new EndpointSubset
            {
                Addresses = g.Where(x => x.Item2).Select(x => new EndpointAddress { Ip = x.e.Address.ToString() }).ToList() is { Count: > 0 } r ? r : null,
                NotReadyAddresses = g.Where(x => !x.Item2).Select(x => new EndpointAddress { Ip = x.e.Address.ToString() }).ToList() is { Count: > 0 } n ? n : null,
                Ports = new() { new EndpointPort { Name = "tcp", Port = g.Key, Protocol = "TCP" } },
            }).ToList();
        return new Endpoints { Metadata = new ObjectMeta { Name = name, Namespace = "default" }, Subsets = subsets };
    }

    private static IPEndPoint At(string ip, int port) => new(IPAddress.Parse(ip), port);

    [Fact]
    public async Task Connections_go_round_robin_over_ready_endpoints()
    {
        var a = Replica("a", "127.0.0.60");
        var b = Replica("b", "127.0.0.61");
        var c = Replica("c", "127.0.0.62");
        _proxy.Apply(new[] { Svc("rr", 18001) }, new[] { Eps("rr", new[] { a.Endpoint, b.Endpoint, c.Endpoint }) });

        var seen = new List<string>();
        for (var i = 0; i < 9; i++)
        {
            seen.Add(await TestClient.WhoAsync(At(ProxyIp, 18001)));
        }

        Assert.Equal(new[] { 3, 3, 3 }, seen.GroupBy(x => x).OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.Equal(new[] { "a", "b", "c" }, seen.GroupBy(x => x).Select(g => g.Key).Order());

        // Strict rotation: no replica twice in a row.
        Assert.All(seen.Zip(seen.Skip(1)), p => Assert.NotEqual(p.First, p.Second));
    }

    [Fact]
    public async Task Unready_endpoint_leaves_the_rotation_and_comes_back()
    {
        var a = Replica("a", "127.0.0.60");
        var b = Replica("b", "127.0.0.61");
        _proxy.Apply(new[] { Svc("unready", 18002) }, new[] { Eps("unready", new[] { a.Endpoint }, new[] { b.Endpoint }) });
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal("a", await TestClient.WhoAsync(At(ProxyIp, 18002)));
        }

        Assert.Equal(0, b.Accepted);
        _proxy.Apply(new[] { Svc("unready", 18002) }, new[] { Eps("unready", new[] { a.Endpoint, b.Endpoint }) });
        var seen = new HashSet<string>();
        for (var i = 0; i < 4; i++)
        {
            seen.Add(await TestClient.WhoAsync(At(ProxyIp, 18002)));
        }

        Assert.Equal(new[] { "a", "b" }, seen.Order());
    }

    [Fact]
    public async Task Connect_failure_is_retried_on_the_next_endpoint()
    {
        var a = Replica("a", "127.0.0.60");
        var dead = Replica("dead", "127.0.0.63");
        dead.StopListening();
        _proxy.Apply(new[] { Svc("retry", 18003) }, new[] { Eps("retry", new[] { a.Endpoint, dead.Endpoint }) });

        for (var i = 0; i < 6; i++)
        {
            Assert.Equal("a", await TestClient.WhoAsync(At(ProxyIp, 18003)));
        }

        Assert.True(_proxy.Table.Connections.Retried >= 2, $"retried {_proxy.Table.Connections.Retried}");
    }

    [Fact]
    public async Task Service_without_ready_endpoints_refuses_at_once()
    {
        var b = Replica("b", "127.0.0.61");
        _proxy.Apply(new[] { Svc("none", 18004) }, new[] { Eps("none", Array.Empty<IPEndPoint>(), new[] { b.Endpoint }) });

        var sw = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<SocketException>(() => TestClient.ConnectAsync(At(ProxyIp, 18004)));
        Assert.Equal(SocketError.ConnectionRefused, ex.SocketErrorCode);
        Assert.True(sw.Elapsed < TimeSpan.FromMilliseconds(500), $"took {sw.Elapsed}");
    }

    [Fact]
    public async Task Connection_is_reset_at_once_when_every_endpoint_refuses()
    {
        var dead = Replica("dead", "127.0.0.63");
        dead.StopListening();
        _proxy.Apply(new[] { Svc("alldead", 18005) }, new[] { Eps("alldead", new[] { dead.Endpoint }) });

        // The proxy accepts, finds no endpoint that takes it, and resets: the client sees the reset either on
        // connect (when it comes that fast) or on its first read, at once either way.
        var sw = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var c = await TestClient.ConnectAsync(At(ProxyIp, 18005));
            await c.ReadLineAsync();
        });
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(1), $"took {sw.Elapsed}");
    }

    [Fact]
    public async Task Endpoint_changes_keep_open_connections()
    {
        var a = Replica("a", "127.0.0.60");
        var b = Replica("b", "127.0.0.61");
        _proxy.Apply(new[] { Svc("keep", 18006) }, new[] { Eps("keep", new[] { a.Endpoint }) });
        using var open = await TestClient.ConnectAsync(At(ProxyIp, 18006));
        Assert.Equal("a", await open.ReadLineAsync());
        Assert.Equal("one", await open.EchoAsync("one"));

        // a leaves the endpoints for b: new connections go to b, the open one still talks to a.
        _proxy.Apply(new[] { Svc("keep", 18006) }, new[] { Eps("keep", new[] { b.Endpoint }) });
        Assert.Equal("b", await TestClient.WhoAsync(At(ProxyIp, 18006)));
        Assert.Equal("two", await open.EchoAsync("two"));

        // No endpoints at all: the port stops listening, the open connection still works.
        _proxy.Apply(new[] { Svc("keep", 18006) }, new[] { Eps("keep", Array.Empty<IPEndPoint>()) });
        await Assert.ThrowsAsync<SocketException>(() => TestClient.ConnectAsync(At(ProxyIp, 18006)));
        Assert.Equal("three", await open.EchoAsync("three"));

        // Even the Service going away leaves it open; a half-close still reaches the replica.
        _proxy.Apply(Array.Empty<Service>(), Array.Empty<Endpoints>());
        Assert.Equal("four", await open.EchoAsync("four"));
        open.HalfClose();
        Assert.Equal("bye", await open.ReadLineAsync());
    }

    [Fact]
    public async Task NodePort_listens_on_the_node_address_and_service_port_on_the_proxy_address()
    {
        var a = Replica("a", "127.0.0.60");
        _proxy.Apply(new[] { Svc("np", 18007, nodePort: 30007) }, new[] { Eps("np", new[] { a.Endpoint }) });

        Assert.Equal("a", await TestClient.WhoAsync(At(NodeIp, 30007)));
        Assert.Equal("a", await TestClient.WhoAsync(At(ProxyIp, 18007)));
        await Assert.ThrowsAsync<SocketException>(() => TestClient.ConnectAsync(At(ProxyIp, 30007)));
    }

    [Fact]
    public async Task Two_services_on_one_port_the_older_keeps_it_and_the_other_is_reported()
    {
        var a = Replica("a", "127.0.0.60");
        var b = Replica("b", "127.0.0.61");
        var older = Svc("older", 18008);
        var newer = Svc("newer", 18008);
        newer.Metadata.CreationTimestamp = DateTimeOffset.UnixEpoch.AddDays(1);
        _proxy.Apply(new[] { newer, older }, new[] { Eps("older", new[] { a.Endpoint }), Eps("newer", new[] { b.Endpoint }) });

        Assert.Equal("a", await TestClient.WhoAsync(At(ProxyIp, 18008)));
        Assert.Contains(_proxy.Conflicts, c => c.Contains("default/newer") && c.Contains("default/older"));
    }

    [Fact]
    public async Task Busy_port_is_bound_once_it_frees_up()
    {
        var a = Replica("a", "127.0.0.60");
        var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(At(ProxyIp, 18009));
        squatter.Listen();
        _proxy.Apply(new[] { Svc("busy", 18009) }, new[] { Eps("busy", new[] { a.Endpoint }) });
        Assert.Contains("default/busy:tcp", _proxy.Table.Unbound);

        squatter.Dispose();
        await Eventually.True(() => _proxy.Table.Listening.Contains(At(ProxyIp, 18009)), TimeSpan.FromSeconds(5), "the freed port to be bound");
        Assert.Equal("a", await TestClient.WhoAsync(At(ProxyIp, 18009)));
    }

    [Fact]
    public async Task Large_transfers_pass_intact_both_ways()
    {
        var a = Replica("a", "127.0.0.60");
        _proxy.Apply(new[] { Svc("bulk", 18010) }, new[] { Eps("bulk", new[] { a.Endpoint }) });
        using var c = await TestClient.ConnectAsync(At(ProxyIp, 18010));
        Assert.Equal("a", await c.ReadLineAsync());
        var line = new string('x', 200_000) + "end";
        Assert.Equal(line, await c.EchoAsync(line));
    }

    [Fact]
    public async Task Many_concurrent_connections_each_keep_their_own_stream()
    {
        var a = Replica("a", "127.0.0.60");
        var b = Replica("b", "127.0.0.61");
        _proxy.Apply(new[] { Svc("many", 18012) }, new[] { Eps("many", new[] { a.Endpoint, b.Endpoint }) });
        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(async i =>
        {
            using var c = await TestClient.ConnectAsync(At(ProxyIp, 18012));
            var who = await c.ReadLineAsync();
            for (var k = 0; k < 20; k++)
            {
                var text = $"conn-{i}-msg-{k}-" + new string('z', i * 50);
                Assert.Equal(text, await c.EchoAsync(text));
            }

            return who;
        }));
        Assert.Equal(32, results.Count(r => r == "a"));
        Assert.Equal(32, results.Count(r => r == "b"));
        await Eventually.True(() => _proxy.Table.Connections.Open == 0, TimeSpan.FromSeconds(5), "every proxied connection closed");
    }

    [Fact]
    public async Task Stopping_the_proxy_resets_open_connections_and_closes_ports()
    {
        var a = Replica("a", "127.0.0.60");
        var proxy = new ServiceProxy(new ServiceProxyOptions { NodeAddress = IPAddress.Parse("127.0.0.52"), UseEpoll = UseEpoll });
        await proxy.StartAsync();
        proxy.Apply(new[] { Svc("stop", 18011) }, new[] { Eps("stop", new[] { a.Endpoint }) });
        using var c = await TestClient.ConnectAsync(At("127.0.0.52", 18011));
        Assert.Equal("a", await c.ReadLineAsync());

        await proxy.DisposeAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => c.EchoAsync("after"));
        await Assert.ThrowsAsync<SocketException>(() => TestClient.ConnectAsync(At("127.0.0.52", 18011)));
    }
}
