using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Agent;
using GitOrch.Tests.Infrastructure.Network;
using Xunit;

namespace GitOrch.Tests.EndToEnd.PodNetwork;

/// <summary>
/// The first "done when": a plain Deployment (3 replicas of httpd on port 80) on one node is all Ready and
/// every replica answers through http://web.default.svc.cluster.local/ from another Pod: CNI, the Endpoints of
/// Pod IPs, the ClusterIP in iptables and the cluster DNS, all real, with the Engine's controllers running.
/// </summary>
[Collection(AgentCollection.Name)]
[Trait("Requires", "Docker")]
public sealed class ServiceByNameTests : IAsyncLifetime
{
    private readonly PodNetworkTestSpace _space = new();
    private AgentTestHarness _h = null!;

    public async Task InitializeAsync()
        => _h = await AgentTestHarness.StartAsync(configure: o => _space.WithPodNetwork(o), startComponents: true, configureEngine: _space.ConfigureEngine);

    public async Task DisposeAsync()
    {
        await _h.DisposeAsync();
        _space.Dispose();
    }

    [Fact]
    public async Task Three_replicas_of_httpd_on_port_80_are_Ready_and_each_is_reached_by_service_name_from_another_pod()
    {
        await _h.Client.CreateAsync(PodNetworkWorkloads.Web("web", 3));
        var service = await _h.Client.CreateAsync(PodNetworkWorkloads.ServiceFor("web"));
        Assert.StartsWith("10." + (32 + _space.Index) + ".", service.Spec!.ClusterIP, StringComparison.Ordinal);

        var replicas = await Eventually.UntilAsync(
            async () => (await _h.Client.ListAsync<Pod>("default")).Items.Where(p => p.Metadata.Labels?.GetValueOrDefault("app") == "web").ToList(),
            pods => pods.Count == 3 && pods.All(p => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true),
            TimeSpan.FromSeconds(60),
            "3 web replicas Ready");
        Assert.Equal(3, replicas.Select(p => p.Status!.PodIP).Distinct().Count());

        await _h.CreatePodAsync("client", PodNetworkWorkloads.Client());
        var client = await _h.WaitForRunningAsync("client");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await Eventually.UntilAsync(
            async () =>
            {
                var body = (await _h.ExecAsync(client, "main", PodNetworkWorkloads.Fetch("http://web.default.svc.cluster.local/"))).Trim();
                if (replicas.Any(p => p.Name == body))
                {
                    seen.Add(body);
                }

                return seen.Count;
            },
            n => n == 3,
            TimeSpan.FromSeconds(60),
            "every replica answering through the Service name");

        // The short name resolves through the search list too.
        var viaShortName = (await _h.ExecAsync(client, "main", PodNetworkWorkloads.Fetch("http://web/"))).Trim();
        Assert.Contains(viaShortName, replicas.Select(p => p.Name));
    }

    [Fact]
    public async Task NodePort_answers_on_the_node_address_through_iptables()
    {
        await _h.Client.CreateAsync(PodNetworkWorkloads.Web("np", 2));
        var service = await _h.Client.CreateAsync(PodNetworkWorkloads.ServiceFor("np", "NodePort"));
        var nodePort = service.Spec!.Ports![0].NodePort!.Value;
        var url = $"http://{_h.Agent.Options.NodeIP}:{nodePort}/";
        var body = await Eventually.UntilAsync(() => Http.GetAsync(url), b => b.StartsWith("np-", StringComparison.Ordinal), TimeSpan.FromSeconds(60), $"a replica answering at {url}");
        Assert.StartsWith("np-", body, StringComparison.Ordinal);
        Assert.Contains("--dport " + nodePort, _h.Agent.NetworkServices!.Iptables!.LastRules!, StringComparison.Ordinal);
    }
}
