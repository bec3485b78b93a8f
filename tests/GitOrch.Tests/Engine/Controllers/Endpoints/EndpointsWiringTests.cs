using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure;
using Xunit;

namespace GitOrch.Tests.Engine.Controllers.Endpoints;

public sealed class EndpointsWiringTests
{
    [Fact]
    public async Task Engine_with_components_runs_the_endpoints_controller()
    {
        await using var engine = await TestEngine.StartAsync(startComponents: true);
        await engine.Client.CreateAsync(new Service
        {
            Metadata = new ObjectMeta { Name = "wired", Namespace = "default" },
            Spec = new ServiceSpec { Selector = new() { ["app"] = "wired" }, Ports = [new ServicePort { Port = 80, TargetPort = 8080 }] },
        });
        var pod = await engine.Client.CreateAsync(new Pod
        {
            Metadata = new ObjectMeta { Name = "wired-1", Namespace = "default", Labels = new() { ["app"] = "wired" } },
            Spec = new PodSpec { NodeName = "nowhere", Containers = { new Container { Name = "main", Image = "x" } } },
        });
        pod.Status = new PodStatus { Phase = "Running", HostIP = "127.0.0.57", PodIP = "127.0.0.57", Conditions = [new Condition { Type = "Ready", Status = "True" }] };
        await engine.Client.ReplaceStatusAsync(pod);

        var ep = await Eventually.UntilAsync(
            () => engine.Client.TryGetAsync<GitOrch.Api.Model.Endpoints>("default", "wired"),
            e => e?.Subsets?.SelectMany(s => s.Addresses ?? []).Any() == true,
            TimeSpan.FromSeconds(10),
            "endpoints with the ready pod");
        Assert.Equal("127.0.0.57", ep!.Subsets![0].Addresses![0].Ip);
        Assert.Equal(8080, ep.Subsets[0].Ports![0].Port);
    }
}
