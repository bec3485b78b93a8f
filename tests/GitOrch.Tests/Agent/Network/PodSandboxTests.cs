using System.Net;
using GitOrch.Api.Model;
using GitOrch.Api.Networking;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Agent;
using GitOrch.Tests.Infrastructure.Network;
using Xunit;

namespace GitOrch.Tests.Agent.Network;

/// <summary>Pods on the Pod network: a sandbox per Pod, an address from the node's podCIDR through CNI, shared localhost.</summary>
[Collection(AgentCollection.Name)]
[Trait("Requires", "Docker")]
public sealed class PodSandboxTests : IAsyncLifetime
{
    private readonly PodNetworkTestSpace _space = new();
    private AgentTestHarness _h = null!;

    public async Task InitializeAsync()
        => _h = await AgentTestHarness.StartAsync(configure: o => _space.WithPodNetwork(o), configureEngine: _space.ConfigureEngine);

    public async Task DisposeAsync()
    {
        await _h.DisposeAsync();
        _space.Dispose();
    }

    private static Container Httpd(string name = "main") => AgentTestHarness.Busybox(name, "echo $HOSTNAME > /tmp/index.html", "exec httpd -f -p 80 -h /tmp");

    [Fact]
    public async Task Three_pods_listening_on_port_80_on_one_node_all_run_each_with_its_own_address_from_the_podCIDR()
    {
        var node = await _h.Client.GetAsync<Node>(null, _h.NodeName);
        var podCidr = Ipv4Cidr.Parse(node.Spec!.PodCIDR!);
        Assert.True(Ipv4Cidr.Parse(_space.ClusterCidr).Contains(podCidr.At(0)));

        var names = new[] { "web-a", "web-b", "web-c" };
        foreach (var n in names)
        {
            await _h.CreatePodAsync(n, Httpd());
        }

        var ips = new List<string>();
        foreach (var n in names)
        {
            var pod = await _h.WaitForPodAsync(n, p => p.Status?.Phase == "Running" && p.Status.PodIP != null && p.Status.ContainerStatuses?.All(c => c.Ready) == true, "Running with a Pod IP");
            Assert.True(podCidr.Contains(IPAddress.Parse(pod.Status!.PodIP!)), $"{pod.Status.PodIP} not in {podCidr}");
            Assert.Equal(pod.Status.PodIP, Assert.Single(pod.Status.PodIPs!).Ip);
            Assert.Equal(_h.Agent.Options.NodeIP, pod.Status.HostIP);
            ips.Add(pod.Status.PodIP!);

            // Each answers on its own address at port 80, with its own hostname (the Pod's name).
            var body = await Eventually.UntilAsync(() => Http.GetAsync($"http://{pod.Status.PodIP}/"), b => b.StartsWith(n, StringComparison.Ordinal), TimeSpan.FromSeconds(10), $"{n} answering on {pod.Status.PodIP}:80");
            Assert.Equal(n, body.Trim());
        }

        Assert.Equal(3, ips.Distinct().Count());
    }

    [Fact]
    public async Task Sidecar_reaches_the_main_container_on_localhost_and_resolv_conf_names_the_cluster_dns()
    {
        await _h.CreatePodAsync("sidecar", s => s.Containers.AddRange([Httpd(), AgentTestHarness.Busybox("side")]));
        var pod = await _h.WaitForPodAsync("sidecar", p => p.Status?.ContainerStatuses?.All(c => c.State?.Running != null) == true && p.Status.PodIP != null, "both containers running");
        var fetched = await Eventually.UntilAsync(
            () => _h.ExecAsync(pod, "side", "sh", "-c", "timeout 3 wget -q -O /tmp/out http://127.0.0.1:80/ && cat /tmp/out"),
            o => o.Contains("sidecar", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            "the sidecar fetching localhost:80");
        Assert.Equal("sidecar", fetched.Trim());

        var resolv = await _h.ExecAsync(pod, "side", "cat", "/etc/resolv.conf");
        var gateway = Ipv4Cidr.Parse((await _h.Client.GetAsync<Node>(null, _h.NodeName)).Spec!.PodCIDR!).At(1).ToString();
        Assert.Contains("nameserver " + gateway, resolv, StringComparison.Ordinal);
        Assert.Contains("search default.svc.cluster.local svc.cluster.local cluster.local", resolv, StringComparison.Ordinal);
        Assert.Contains("options ndots:5", resolv, StringComparison.Ordinal);
        Assert.Contains("sidecar", await _h.ExecAsync(pod, "side", "hostname"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_the_pod_runs_CNI_DEL_so_its_address_returns_to_host_local()
    {
        await _h.CreatePodAsync("gone", Httpd());
        var pod = await _h.WaitForPodAsync("gone", p => p.Status?.PodIP != null && p.Status.Phase == "Running", "Running");
        var store = Path.Combine(_h.Agent.Options.DataDir, "cni", "ipam", _h.Agent.Options.PodNetwork!.NetworkName);
        Assert.True(File.Exists(Path.Combine(store, pod.Status!.PodIP!)), "host-local holds the Pod's address");

        await _h.Client.DeleteAsync<Pod>("default", "gone");
        await Eventually.UntilAsync(() => Task.FromResult(File.Exists(Path.Combine(store, pod.Status.PodIP!))), held => !held, TimeSpan.FromSeconds(20), "the address released");
        await Eventually.UntilAsync(async () => (await _h.ContainersOfAsync("gone")).Count, n => n == 0, TimeSpan.FromSeconds(20), "sandbox and containers removed");
    }

    [Fact]
    public async Task Host_network_pod_keeps_the_node_address()
    {
        await _h.CreatePodAsync("hostnet", s =>
        {
            s.HostNetwork = true;
            s.Containers.Add(AgentTestHarness.Busybox("main"));
        });
        var pod = await _h.WaitForRunningAsync("hostnet");
        Assert.Equal(_h.Agent.Options.NodeIP, pod.Status!.PodIP);
        Assert.DoesNotContain(await _h.ContainersOfAsync("hostnet"), c => c.Labels[GitOrch.Agent.AgentLabels.ContainerKind] == "sandbox");
    }
}
