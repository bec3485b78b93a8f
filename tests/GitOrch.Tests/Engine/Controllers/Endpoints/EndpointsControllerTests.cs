using System.Diagnostics;
using GitOrch.Api.Model;
using GitOrch.Engine.Controllers.Endpoints;
using GitOrch.Engine.Runtime;
using GitOrch.Engine.Store;
using GitOrch.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace GitOrch.Tests.Engine.Controllers.Endpoints;

/// <summary>The endpoints controller on a real store and the controller runtime; Pod statuses are written as an agent would.</summary>
public sealed class EndpointsControllerTests : IAsyncLifetime
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private readonly TempDirectory _dir = new();
    private ObjectStore _store = null!;
    private SharedInformers _informers = null!;
    private Controller _controller = null!;

    public async Task InitializeAsync()
    {
        _store = ObjectStore.Open(_dir.Path);
        _informers = new SharedInformers(_store, NullLoggerFactory.Instance);
        var options = new ControllerOptions();
        _controller = new Controller(new EndpointsReconciler(_store, _informers, options), options, TimeProvider.System, NullLogger.Instance);
        await _informers.StartAsync(default);
        await _controller.StartAsync(default);
        foreach (var (name, ip) in new[] { ("node-a", "127.0.0.51"), ("node-b", "127.0.0.52") })
        {
            await _store.CreateAsync(new Node
            {
                Metadata = new ObjectMeta { Name = name },
                Status = new NodeStatus { Addresses = new() { new NodeAddress { Type = "InternalIP", Address = ip } } },
            });
        }
    }

    public async Task DisposeAsync()
    {
        await _controller.StopAsync(default);
        _controller.Dispose();
        await _informers.DisposeAsync();
        _store.Dispose();
        _dir.Dispose();
    }

    private static Service Svc(string name, IntOrString? target = null, Dictionary<string, string>? selector = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "default", Labels = new() { ["tier"] = "web" } },
        Spec = new ServiceSpec
        {
            Selector = selector ?? new() { ["app"] = name },
            Ports = new() { new ServicePort { Name = "http", Port = 80, TargetPort = target ?? 8080 } },
        },
    };

    private async Task<Pod> RunPodAsync(string name, string app, string node, bool ready, int containerPort = 8080, string portName = "web")
    {
        var pod = await _store.CreateAsync(new Pod
        {
            Metadata = new ObjectMeta { Name = name, Namespace = "default", Labels = new() { ["app"] = app } },
            Spec = new PodSpec
            {
                NodeName = node,
                Containers = { new Container { Name = "main", Image = "gitorch-test/busybox:latest", Ports = new() { new ContainerPortSpec { Name = portName, ContainerPort = containerPort } } } },
            },
        });
        var ip = node == "node-a" ? "127.0.0.51" : "127.0.0.52";
        pod.Status = new PodStatus { Phase = "Running", HostIP = ip, PodIP = ip };
        return await SetReadyAsync(pod, ready);
    }

    private async Task<Pod> SetReadyAsync(Pod pod, bool ready)
    {
        var fresh = _store.Get<Pod>("default", pod.Name)!;
        fresh.Status ??= new PodStatus();
        fresh.Status.Conditions = new() { new Condition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = DateTimeOffset.UtcNow } };
        return await _store.UpdateStatusAsync(fresh);
    }

    private Task<GitOrch.Api.Model.Endpoints?> EndpointsWhere(string name, Func<GitOrch.Api.Model.Endpoints, bool> done, TimeSpan timeout, string what)
        => Eventually.Until(() => _store.Get<GitOrch.Api.Model.Endpoints>("default", name), e => e != null && done(e), timeout, what);

    private static IEnumerable<string> Ready(GitOrch.Api.Model.Endpoints e) => (e.Subsets ?? new()).SelectMany(s => s.Addresses ?? new()).Select(a => a.TargetRef!.Name!).Order();

    private static IEnumerable<string> NotReady(GitOrch.Api.Model.Endpoints e) => (e.Subsets ?? new()).SelectMany(s => s.NotReadyAddresses ?? new()).Select(a => a.TargetRef!.Name!).Order();

    [Fact]
    public async Task Ready_pods_are_addresses_and_unready_pods_are_kept_apart()
    {
        await _store.CreateAsync(Svc("web"));
        await RunPodAsync("web-1", "web", "node-a", ready: true);
        await RunPodAsync("web-2", "web", "node-b", ready: false);
        await RunPodAsync("other", "db", "node-b", ready: true);

        var ep = await EndpointsWhere("web", e => Ready(e).Count() == 1 && NotReady(e).Count() == 1, 5 * Second, "one ready and one unready address");
        Assert.Equal(new[] { "web-1" }, Ready(ep!));
        Assert.Equal(new[] { "web-2" }, NotReady(ep!));
        var subset = Assert.Single(ep!.Subsets!);
        var address = Assert.Single(subset.Addresses!);
        Assert.Equal("127.0.0.51", address.Ip);
        Assert.Equal("node-a", address.NodeName);
        var port = Assert.Single(subset.Ports!);
        Assert.Equal(("http", 8080, "TCP"), (port.Name, port.Port, port.Protocol));
        Assert.Equal("web", ep.Metadata.Labels!["tier"]);
    }

    [Fact]
    public async Task Readiness_changes_reach_the_endpoints_within_a_second()
    {
        await _store.CreateAsync(Svc("flip"));
        var pod = await RunPodAsync("flip-1", "flip", "node-a", ready: true);
        await EndpointsWhere("flip", e => Ready(e).Count() == 1, 5 * Second, "the ready pod");

        var sw = Stopwatch.StartNew();
        pod = await SetReadyAsync(pod, false);
        await EndpointsWhere("flip", e => !Ready(e).Any() && NotReady(e).Count() == 1, Second, "the pod moved to notReadyAddresses");
        Assert.True(sw.Elapsed < Second, $"took {sw.Elapsed}");

        sw.Restart();
        await SetReadyAsync(pod, true);
        await EndpointsWhere("flip", e => Ready(e).Count() == 1 && !NotReady(e).Any(), Second, "the pod back in addresses");
        Assert.True(sw.Elapsed < Second, $"took {sw.Elapsed}");
    }

    [Fact]
    public async Task Named_targetPort_resolves_per_pod_and_pods_without_it_are_left_out()
    {
        await _store.CreateAsync(Svc("named", "web"));
        await RunPodAsync("named-1", "named", "node-a", ready: true, containerPort: 8081);
        await RunPodAsync("named-2", "named", "node-b", ready: true, containerPort: 8082);
        await RunPodAsync("named-3", "named", "node-b", ready: true, containerPort: 8083, portName: "other");

        var ep = await EndpointsWhere("named", e => Ready(e).Count() == 2, 5 * Second, "two resolved pods");
        var byPod = ep!.Subsets!.SelectMany(s => s.Addresses!.Select(a => (Name: a.TargetRef!.Name!, s.Ports!.Single().Port))).OrderBy(x => x.Name).ToList();
        Assert.Equal(new[] { ("named-1", 8081), ("named-2", 8082) }, byPod);
    }

    [Fact]
    public async Task Pod_without_ip_falls_back_to_its_nodes_address_and_terminal_or_deleting_pods_leave()
    {
        await _store.CreateAsync(Svc("fb"));
        var pod = await _store.CreateAsync(new Pod
        {
            Metadata = new ObjectMeta { Name = "fb-1", Namespace = "default", Labels = new() { ["app"] = "fb" } },
            Spec = new PodSpec { NodeName = "node-b", Containers = { new Container { Name = "main", Image = "x" } } },
        });
        await SetReadyAsync(pod, true);
        var ep = await EndpointsWhere("fb", e => Ready(e).Count() == 1, 5 * Second, "the pod by its node's address");
        Assert.Equal("127.0.0.52", ep!.Subsets![0].Addresses![0].Ip);

        var failed = _store.Get<Pod>("default", "fb-1")!;
        failed.Status!.Phase = "Failed";
        await _store.UpdateStatusAsync(failed);
        await EndpointsWhere("fb", e => !Ready(e).Any() && !NotReady(e).Any(), Second, "the failed pod gone");
    }

    [Fact]
    public async Task Deleted_pod_and_relabelled_pod_leave_the_endpoints()
    {
        await _store.CreateAsync(Svc("churn"));
        await RunPodAsync("churn-1", "churn", "node-a", ready: true);
        await RunPodAsync("churn-2", "churn", "node-b", ready: true);
        await EndpointsWhere("churn", e => Ready(e).Count() == 2, 5 * Second, "both pods");

        await _store.DeleteAsync(ResourceKinds.Pod, "default", "churn-1");
        await EndpointsWhere("churn", e => Ready(e).SequenceEqual(new[] { "churn-2" }), Second, "only churn-2");

        var moved = _store.Get<Pod>("default", "churn-2")!;
        moved.Metadata.Labels!["app"] = "elsewhere";
        await _store.UpdateAsync(moved);
        await EndpointsWhere("churn", e => !Ready(e).Any(), Second, "no pods");
    }

    [Fact]
    public async Task Endpoints_follow_their_service_away_and_are_repaired_when_tampered_with()
    {
        await _store.CreateAsync(Svc("gone"));
        await RunPodAsync("gone-1", "gone", "node-a", ready: true);
        var ep = await EndpointsWhere("gone", e => Ready(e).Count() == 1, 5 * Second, "the pod");

        ep!.Subsets = new();
        await _store.UpdateAsync(ep);
        await EndpointsWhere("gone", e => Ready(e).Count() == 1, Second, "the endpoints repaired");

        await _store.DeleteAsync(ResourceKinds.Service, "default", "gone");
        await Eventually.Until(() => _store.Get<GitOrch.Api.Model.Endpoints>("default", "gone"), e => e == null, 5 * Second, "the endpoints deleted");
    }

    [Fact]
    public async Task Selectorless_service_endpoints_are_left_to_the_user()
    {
        var svc = Svc("manual");
        svc.Spec!.Selector = null;
        await _store.CreateAsync(svc);
        await _store.CreateAsync(new GitOrch.Api.Model.Endpoints
        {
            Metadata = new ObjectMeta { Name = "manual", Namespace = "default" },
            Subsets = new() { new EndpointSubset { Addresses = new() { new EndpointAddress { Ip = "127.0.0.60" } }, Ports = new() { new EndpointPort { Name = "http", Port = 9 } } } },
        });
        await _store.CreateAsync(Svc("marker"));
        await EndpointsWhere("marker", _ => true, 5 * Second, "the controller to be running");
        Assert.Equal("127.0.0.60", _store.Get<GitOrch.Api.Model.Endpoints>("default", "manual")!.Subsets![0].Addresses![0].Ip);
    }

    [Fact]
    public void Builder_puts_every_pod_in_addresses_with_publishNotReadyAddresses()
    {
        var svc = Svc("pub");
        svc.Spec!.PublishNotReadyAddresses = true;
        var pod = new Pod
        {
            Metadata = new ObjectMeta { Name = "p", Namespace = "default", Labels = new() { ["app"] = "pub" } },
            Spec = new PodSpec { NodeName = "n" },
            Status = new PodStatus { HostIP = "127.0.0.53" },
        };
        var subsets = EndpointsBuilder.Build(svc, new[] { pod });
        Assert.Equal("127.0.0.53", Assert.Single(Assert.Single(subsets).Addresses!).Ip);
    }

    [Fact]
    public void Builder_resolves_missing_targetPort_to_the_service_port()
    {
        Assert.Equal(80, EndpointsBuilder.ResolvePort(new ServicePort { Port = 80 }, new Pod()));
        Assert.Equal(9000, EndpointsBuilder.ResolvePort(new ServicePort { Port = 80, TargetPort = 9000 }, new Pod()));
        Assert.Null(EndpointsBuilder.ResolvePort(new ServicePort { Port = 80, TargetPort = "nope" }, new Pod { Spec = new PodSpec() }));
    }
}
