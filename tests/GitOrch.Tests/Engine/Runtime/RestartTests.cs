using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Controllers;
using Xunit;

namespace GitOrch.Tests.Engine.Runtime;

public sealed class RestartTests
{
    [Fact]
    public async Task Controllers_restarted_mid_rollout_converge_without_duplicate_pods()
    {
        await using var cp = new ControlPlane();
        for (var i = 0; i < 4; i++)
        {
            await cp.AddNodeAsync("node-" + i);
        }

        await cp.StartAsync();
        await cp.Store.CreateAsync(ControlPlane.NewDeployment("restart", 20, "v1", d => d.Spec!.Strategy = new DeploymentStrategy
        {
            RollingUpdate = new RollingUpdateDeployment { MaxSurge = 2, MaxUnavailable = 0 },
        }));
        await cp.RolledOutAsync("restart", TimeSpan.FromSeconds(30));

        using var checker = new PodCountChecker(cp.Store, "restart");
        await cp.SetImageAsync("restart", "v2");
        for (var round = 0; round < 3; round++)
        {
            // Stop somewhere in the middle of the rollout, then start fresh controllers on the same store.
            await Eventually.True(() => cp.Pods("app=restart").Count(p => p.Spec!.Containers[0].Image == "v2") > round * 4, TimeSpan.FromSeconds(20), "rollout under way");
            await cp.StopAsync();
            await cp.StartAsync();
        }

        await cp.RolledOutAsync("restart", TimeSpan.FromSeconds(60));
        checker.Stop();

        Assert.True(checker.MaxPods <= 22, $"{checker.MaxPods} pods at once: more than replicas + maxSurge");
        Assert.True(checker.MinReady >= 20, $"ready pods dropped to {checker.MinReady} with maxUnavailable 0");
        Assert.Equal(20, cp.Pods("app=restart").Count);
        Assert.Equal(2, cp.ReplicaSets("app=restart").Count);
        Assert.All(cp.Pods("app=restart"), p => Assert.Equal("v2", p.Spec!.Containers[0].Image));
    }
}
