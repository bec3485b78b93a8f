using GitOrch.Api.Model;
using GitOrch.Engine.Controllers.Nodes;
using GitOrch.Tests.Infrastructure.Controllers;
using Microsoft.Extensions.Time.Testing;
using GitOrch.Tests.Infrastructure;
using Xunit;

namespace GitOrch.Tests.Engine.Controllers.Nodes;

/// <summary>The default grace period (40 s) and eviction delay (30 s), driven by a manual clock instead of waited for.</summary>
public sealed class NodeLifecycleClockTests
{
    [Fact]
    public async Task Default_grace_and_eviction_delay_follow_the_injected_clock()
    {
        var clock = new FakeTimeProvider();
        await using var cp = new ControlPlane(time: clock);
        var node = ControlPlane.NewNode("quiet");
        node.Status!.Conditions![0].LastHeartbeatTime = clock.GetUtcNow();
        await cp.Store.CreateAsync(node);
        await cp.Store.CreateAsync(new Pod
        {
            Metadata = new ObjectMeta { Name = "resident", Namespace = "default" },
            Spec = new PodSpec { NodeName = "quiet", Containers = { new Container { Name = "c", Image = "busybox" } } },
        });
        await cp.StartAsync();

        clock.Advance(TimeSpan.FromSeconds(39));
        await Task.Delay(300);
        Assert.Null(cp.Store.Get<Node>(null, "quiet")!.Spec?.Taints);

        clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.True(
            () => cp.Store.Get<Node>(null, "quiet")!.Spec?.Taints?.Any(t => t.Key == NodeLifecycleReconciler.UnreachableTaint) == true,
            TimeSpan.FromSeconds(10), "unreachable taint at 40 s");
        Assert.Equal("Unknown", cp.Store.Get<Node>(null, "quiet")!.Status!.Conditions!.Single(c => c.Type == "Ready").Status);

        clock.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(300);
        Assert.NotNull(cp.Store.Get<Pod>("default", "resident"));

        clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.True(() => cp.Store.Get<Pod>("default", "resident") == null, TimeSpan.FromSeconds(10), "pod evicted 30 s after the taint");
    }
}
