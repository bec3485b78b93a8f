using System.Net;
using GitOrch.Agent.Proxy;
using GitOrch.Api.Client;
using GitOrch.Api.Model;
using GitOrch.Engine.Controllers.Endpoints;
using GitOrch.Engine.Runtime;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Services;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace GitOrch.Tests.Engine.Services;

/// <summary>
/// Service, endpoints controller and a node proxy wired as in production: a real Engine over HTTP, the proxy watching
/// through GitOrchClient, Pod statuses written over the API as an agent writes them, TCP replicas on 127.0.0.7x.
/// Proxy on 127.0.0.55 (proxy address) and 127.0.0.56 (node address).
/// </summary>
public sealed class ServicesThroughEngineTests : IAsyncLifetime
{
    private const string ProxyIp = "127.0.0.55";
    private const string NodeIp = "127.0.0.56";
    private readonly List<NamedTcpServer> _replicas = new();
    private TestEngine _engine = null!;
    private SharedInformers _informers = null!;
    private Controller _controller = null!;
    private ServiceProxy _proxy = null!;

    public async Task InitializeAsync()
    {
        _engine = await TestEngine.StartAsync();
        _informers = new SharedInformers(_engine.Store, NullLoggerFactory.Instance);
        var options = new ControllerOptions();
        _controller = new Controller(new EndpointsReconciler(_engine.Store, _informers, options), options, TimeProvider.System, NullLogger.Instance);
        await _informers.StartAsync(default);
        await _controller.StartAsync(default);
        _proxy = new ServiceProxy(_engine.CreateClient(_engine.AgentToken), new ServiceProxyOptions
        {
            NodeName = "node-x",
            NodeAddress = IPAddress.Parse(NodeIp),
            ProxyAddress = IPAddress.Parse(ProxyIp),
        });
        await _proxy.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _controller.StopAsync(default);
        _controller.Dispose();
        await _informers.DisposeAsync();
        await _engine.DisposeAsync();
        foreach (var r in _replicas)
        {
            r.Dispose();
        }
    }

    private GitOrchClient Api => _engine.Client;

    /// <summary>A replica process on its "node" address, and its Pod reported Running (and Ready or not) over the API.</summary>
    private async Task<Pod> StartReplicaAsync(string name, string app, string ip, int port, bool ready)
    {
        _replicas.Add(new NamedTcpServer(name, ip, port));
        var pod = await Api.CreateAsync(new Pod
        {
            Metadata = new ObjectMeta { Name = name, Namespace = "default", Labels = new() { ["app"] = app } },
            Spec = new PodSpec
            {
                NodeName = "node-" + name,
                Containers = { new Container { Name = "main", Image = "gitorch-test/busybox:latest", Ports = new() { new ContainerPortSpec { Name = "http", ContainerPort = port } } } },
            },
        });
        return await SetReadyAsync(pod, ip, ready);
    }

    private async Task<Pod> SetReadyAsync(Pod pod, string ip, bool ready)
    {
        pod.Status = new PodStatus
        {
            Phase = "Running",
            HostIP = ip,
            PodIP = ip,
            Conditions = new() { new Condition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = DateTimeOffset.UtcNow } },
        };
        pod.Metadata.ResourceVersion = null;
        return await Api.ReplaceStatusAsync(pod);
    }

    private static async Task<HashSet<string>> WhoAnswersAsync(IPEndPoint at, int connections)
    {
        var seen = new HashSet<string>();
        for (var i = 0; i < connections; i++)
        {
            try
            {
                seen.Add(await TestClient.WhoAsync(at));
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException)
            {
                seen.Add("refused");
            }
        }

        return seen;
    }

    [Fact]
    public async Task Requests_through_the_service_reach_every_ready_replica_and_follow_readiness()
    {
        await Api.CreateAsync(new Service
        {
            Metadata = new ObjectMeta { Name = "web", Namespace = "default" },
            Spec = new ServiceSpec { Type = "NodePort", Selector = new() { ["app"] = "web" }, Ports = new() { new ServicePort { Port = 18200, TargetPort = "http" } } },
        });
        var svc = await Api.GetAsync<Service>("default", "web");
        var nodePort = svc.Spec!.Ports![0].NodePort!.Value;
        Assert.InRange(nodePort, 30000, 32767);

        await StartReplicaAsync("web-1", "web", "127.0.0.71", 18201, ready: true);
        var two = await StartReplicaAsync("web-2", "web", "127.0.0.72", 18201, ready: true);
        var viaService = new IPEndPoint(IPAddress.Parse(ProxyIp), 18200);
        var viaNodePort = new IPEndPoint(IPAddress.Parse(NodeIp), nodePort);

        await Eventually.UntilAsync(() => WhoAnswersAsync(viaService, 4), s => s.SetEquals(new[] { "web-1", "web-2" }), TimeSpan.FromSeconds(10), "both replicas through the service port");
        Assert.Equal(new[] { "web-1", "web-2" }, (await WhoAnswersAsync(viaNodePort, 4)).Order());

        await SetReadyAsync(two, "127.0.0.72", ready: false);
        await Eventually.UntilAsync(() => WhoAnswersAsync(viaService, 4), s => s.SetEquals(new[] { "web-1" }), TimeSpan.FromSeconds(2), "web-2 out of the rotation");

        await SetReadyAsync(two, "127.0.0.72", ready: true);
        await Eventually.UntilAsync(() => WhoAnswersAsync(viaService, 4), s => s.SetEquals(new[] { "web-1", "web-2" }), TimeSpan.FromSeconds(2), "web-2 back in the rotation");

        await Api.DeleteAsync<Pod>("default", "web-1");
        await Api.DeleteAsync<Pod>("default", "web-2");
        await Eventually.UntilAsync(() => WhoAnswersAsync(viaService, 1), s => s.SetEquals(new[] { "refused" }), TimeSpan.FromSeconds(2), "the port to refuse with no pods");
    }

    [Fact]
    public async Task Conflicting_nodePort_is_rejected_by_the_api_with_422()
    {
        await Api.CreateAsync(new Service
        {
            Metadata = new ObjectMeta { Name = "a", Namespace = "default" },
            Spec = new ServiceSpec { Type = "NodePort", Selector = new() { ["app"] = "a" }, Ports = new() { new ServicePort { Port = 80, NodePort = 31111 } } },
        });
        var ex = await Assert.ThrowsAsync<GitOrchApiException>(() => Api.CreateAsync(new Service
        {
            Metadata = new ObjectMeta { Name = "b", Namespace = "default" },
            Spec = new ServiceSpec { Type = "NodePort", Selector = new() { ["app"] = "b" }, Ports = new() { new ServicePort { Port = 80, NodePort = 31111 } } },
        }));
        Assert.Equal(422, ex.Code);
        Assert.Equal("spec.ports[0].nodePort", Assert.Single(ex.Causes).Field);
    }
}
