using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Agent;
using GitOrch.Tests.Infrastructure.Autoscaling;
using Xunit;

namespace GitOrch.Tests.EndToEnd;

/// <summary>
/// The whole loop on a real agent and Docker: CPU-burning busybox containers are sampled by the agent, scraped by the
/// Engine, served as metrics.k8s.io PodMetrics (what <c>kubectl top pods</c> reads), and the HPA scales their Deployment up; when the load stops it comes back
/// to one replica after its 10 s stabilization window.
/// </summary>
[Collection(AgentCollection.Name)]
[Trait("Requires", "Docker")]
public sealed class AutoscaleTests
{
    [Fact]
    public async Task Cpu_load_scales_a_deployment_up_and_back_down()
    {
        await using var h = await AgentTestHarness.StartAsync(startComponents: true);
        using var ctl = new TempDirectory("gitorch-burn");
        await h.Client.CreateAsync(CpuBurner.Deployment("burner", ctl.Path, DockerTestEnvironment.TestImage));
        await h.Client.CreateAsync(CpuBurner.Hpa("burner"));
        await Eventually.UntilAsync(async () => await RunningAsync(h), n => n == 1, TimeSpan.FromSeconds(60), "one burner Running");

        File.WriteAllText(Path.Combine(ctl.Path, CpuBurner.SwitchFile), "");
        await Eventually.UntilAsync(async () => await RunningAsync(h), n => n >= 3, TimeSpan.FromSeconds(90), ">= 3 burners Running after the load started");
        var hpa = await h.Client.GetAsync<HorizontalPodAutoscaler>("default", "burner");
        Assert.True(hpa.Status!.DesiredReplicas >= 3);
        Assert.True(hpa.Status.CurrentMetrics![0].Resource!.Current.AverageUtilization > 50);

        // What kubectl top pods asks for (kubectl itself sends no token over plain HTTP: it is run once the API is HTTPS).
        var top = await Eventually.UntilAsync(async () => await h.Client.ListAsync<PodMetrics>("default", labelSelector: "app=burner"), l => l.Items.Count >= 3, TimeSpan.FromSeconds(20), "usage of >= 3 burners");
        Assert.All(top.Items, m => Assert.Equal("main", m.Containers[0].Name));

        File.Delete(Path.Combine(ctl.Path, CpuBurner.SwitchFile));
        await Eventually.UntilAsync(async () => (await h.Client.GetAsync<Deployment>("default", "burner")).Spec!.Replicas, r => r == 1, TimeSpan.FromSeconds(90), "scaled back to 1 after the load stopped");
        var events = await h.Client.ListAsync<Event>("default");
        Assert.Contains(events.Items, e => e.Reason == "SuccessfulRescale" && e.Message!.StartsWith("New size: 1", StringComparison.Ordinal));
    }

    private static async Task<int> RunningAsync(AgentTestHarness h)
        => (await h.Client.ListAsync<Pod>("default", "app=burner")).Items.Count(p => p.Metadata.DeletionTimestamp == null && p.Status?.Phase == PodPhases.Running);
}
