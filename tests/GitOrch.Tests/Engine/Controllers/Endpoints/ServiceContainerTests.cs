using System.Net;
using System.Net.Sockets;
using System.Text;
using GitOrch.Api.Model;
using GitOrch.Engine.Controllers.Endpoints;
using GitOrch.Engine.Runtime;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Agent;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using static GitOrch.Tests.Infrastructure.Agent.AgentTestHarness;

namespace GitOrch.Tests.Engine.Controllers.Endpoints;

/// <summary>
/// Services end to end on real containers: two agents (nodes 127.0.0.90 and 127.0.0.91, each proxy on its node
/// address), busybox httpd replicas that each serve their own Pod name, the endpoints controller on the Engine's store.
/// </summary>
[Collection(AgentCollection.Name)]
[Trait("Requires", "Docker")]
public sealed class ServiceContainerTests : IAsyncLifetime
{
    private const string NodeA = "127.0.0.90";
    private const string NodeB = "127.0.0.91";
    private const int ServicePort = 18400;
    private AgentTestHarness _h = null!;
    private SharedInformers _informers = null!;
    private Controller _endpoints = null!;
    private string _nodeA = "";
    private string _nodeB = "";

    public async Task InitializeAsync()
    {
        _h = await AgentTestHarness.StartAsync(startAgent: false);
        _nodeA = _h.NewNodeName();
        _nodeB = _h.NewNodeName();
        await _h.StartAgentAsync(_h.Options(_nodeA, NodeA));
        await _h.StartAgentAsync(_h.Options(_nodeB, NodeB));
        _informers = new SharedInformers(_h.Engine.Store, NullLoggerFactory.Instance);
        var options = new ControllerOptions();
        _endpoints = new Controller(new EndpointsReconciler(_h.Engine.Store, _informers, options), options, TimeProvider.System, NullLogger.Instance);
        await _informers.StartAsync(default);
        await _endpoints.StartAsync(default);
    }

    public async Task DisposeAsync()
    {
        await _endpoints.StopAsync(default);
        _endpoints.Dispose();
        await _informers.DisposeAsync();
        await _h.DisposeAsync();
    }

    /// <summary>busybox httpd on the node's address, serving the Pod's name; Ready once it answers.</summary>
    private Task<Pod> ReplicaAsync(string name, string node) => _h.CreatePodAsync(name, spec =>
    {
        var c = Busybox("main", "mkdir -p /www", "echo $POD_NAME > /www/index.html", "exec httpd -f -p $HOST_IP:8080 -h /www");
        c.Env =
        [
            new EnvVar { Name = "POD_NAME", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "metadata.name" } } },
            new EnvVar { Name = "HOST_IP", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "status.hostIP" } } },
        ];
        c.Ports = [new ContainerPortSpec { Name = "http", ContainerPort = 8080 }];
        c.ReadinessProbe = new Probe { HttpGet = new HttpGetAction { Path = "/", Port = "http" }, PeriodSeconds = 1, FailureThreshold = 1 };
        spec.Containers.Add(c);
    }, node);

    private async Task<Pod> LabelledAsync(Pod pod)
    {
        pod.Metadata.Labels = new() { ["app"] = "web" };
        pod.Metadata.ResourceVersion = null;
        return await _h.Client.ReplaceAsync(pod);
    }

    /// <summary>One HTTP/1.0 request on a new connection; the body, trimmed.</summary>
    private static async Task<string> GetAsync(string ip, int port, string host = "web")
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(ip), port), cts.Token);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.0\r\nHost: {host}\r\n\r\n"), SocketFlags.None, cts.Token);
        using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var response = await reader.ReadToEndAsync(cts.Token);
        var at = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (!response.StartsWith("HTTP/1.", StringComparison.Ordinal) || !response.Contains(" 200 ") || at < 0)
        {
            throw new IOException("bad response: " + response);
        }

        // Every replica serves its non-empty Pod name: headers without a body are a response cut off mid-way (a
        // replica killed while answering), the in-flight failure the kill test counts, not a served request.
        var body = response[(at + 4)..].Trim();
        return body.Length > 0 ? body : throw new IOException("response cut off after the headers");
    }

    private static async Task<HashSet<string>> NamesAsync(string ip, int port, int requests)
    {
        var names = new HashSet<string>();
        for (var i = 0; i < requests; i++)
        {
            try
            {
                names.Add(await GetAsync(ip, port));
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
            {
                names.Add("error");
            }
        }

        return names;
    }

    [Fact]
    public async Task Httpd_replicas_behind_a_service_through_every_agent_with_discovery_and_a_killed_pod()
    {
        var svc = await _h.Client.CreateAsync(new Service
        {
            Metadata = new ObjectMeta { Name = "web", Namespace = "default" },
            Spec = new ServiceSpec { Type = "NodePort", Selector = new() { ["app"] = "web" }, Ports = [new ServicePort { Name = "http", Port = ServicePort, TargetPort = "http" }] },
        });
        var nodePort = svc.Spec!.Ports![0].NodePort!.Value;

        await LabelledAsync(await ReplicaAsync("web-a", _nodeA));
        await LabelledAsync(await ReplicaAsync("web-b", _nodeB));
        var both = new[] { "web-a", "web-b" };

        // Every replica answers through the Service port on each agent's proxy, and through the NodePort of each node.
        foreach (var ip in new[] { NodeA, NodeB })
        {
            await Eventually.UntilAsync(() => NamesAsync(ip, ServicePort, 6), s => s.SetEquals(both), TimeSpan.FromSeconds(60), $"both replicas through the proxy on {ip}");
            Assert.Equal(both, (await NamesAsync(ip, nodePort, 6)).Order());
        }

        // Discovery inside a container started after the Service: variables and the svc name.
        await _h.CreatePodAsync("client", spec => spec.Containers.Add(Busybox("main")), _nodeA);
        var client = await _h.WaitForRunningAsync("client");
        var env = await _h.ExecAsync(client, "main", "env");
        Assert.Contains($"WEB_SERVICE_HOST={NodeA}", env);
        Assert.Contains($"WEB_SERVICE_PORT={ServicePort}", env);
        var viaName = await _h.ExecAsync(client, "main", "wget", "-qO-", $"http://web.default.svc:{ServicePort}/");
        Assert.Contains(viaName.Trim(), both);

        // Kill web-b's container: the proxy retries a refused connect on web-a, so a client that retries once
        // never fails. A first attempt fails only if it reached web-b before it died: the request in flight, and
        // under load one more that the kernel had already accepted into the dying process's backlog.
        var webB = await _h.Client.GetAsync<Pod>("default", "web-b");
        var id = Status(webB).ContainerID!["docker://".Length..];
        var firstAttemptFailures = 0;
        var killed = _h.Docker.Containers.KillContainerAsync(id, new global::Docker.DotNet.Models.ContainerKillParameters { Signal = "KILL" });
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(4);
        var served = 0;
        while (DateTime.UtcNow < until)
        {
            string name;
            try
            {
                name = await GetAsync(NodeA, ServicePort);
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
            {
                firstAttemptFailures++;
                name = await GetAsync(NodeA, ServicePort);
            }

            Assert.Contains(name, both);
            served++;
        }

        await killed;
        Assert.True(firstAttemptFailures <= 2, $"{firstAttemptFailures} first-attempt failures in {served} requests");
        Assert.True(served > 10, $"only {served} requests served");
    }

    [Fact]
    public async Task Unready_replica_leaves_the_rotation_and_comes_back()
    {
        await _h.Client.CreateAsync(new Service
        {
            Metadata = new ObjectMeta { Name = "web", Namespace = "default" },
            Spec = new ServiceSpec { Selector = new() { ["app"] = "web" }, Ports = [new ServicePort { Port = ServicePort, TargetPort = 8080 }] },
        });
        await LabelledAsync(await ReplicaAsync("web-a", _nodeA));
        var b = await LabelledAsync(await ReplicaAsync("web-b", _nodeB));
        await Eventually.UntilAsync(() => NamesAsync(NodeA, ServicePort, 6), s => s.SetEquals(new[] { "web-a", "web-b" }), TimeSpan.FromSeconds(60), "both replicas");

        // Break web-b's readiness (its page goes away: 404), the probe fails, it leaves the rotation.
        var running = await _h.WaitForRunningAsync("web-b");
        await _h.ExecAsync(running, "main", "mv", "/www/index.html", "/www/away.html");
        await Eventually.UntilAsync(() => NamesAsync(NodeA, ServicePort, 6), s => s.SetEquals(new[] { "web-a" }), TimeSpan.FromSeconds(15), "web-b out of the rotation");

        await _h.ExecAsync(running, "main", "mv", "/www/away.html", "/www/index.html");
        await Eventually.UntilAsync(() => NamesAsync(NodeA, ServicePort, 6), s => s.SetEquals(new[] { "web-a", "web-b" }), TimeSpan.FromSeconds(15), "web-b back");
        _ = b;
    }
}
