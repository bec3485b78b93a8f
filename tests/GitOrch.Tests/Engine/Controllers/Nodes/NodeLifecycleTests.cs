using GitOrch.Api.Model;
using GitOrch.Engine.Controllers.Nodes;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Controllers;
using Xunit;

namespace GitOrch.Tests.Engine.Controllers.Nodes;

public sealed class NodeLifecycleTests : IAsyncLifetime
{
    private readonly ControlPlane _cp = new(o =>
    {
        o.NodeLifecycle.HeartbeatGracePeriod = TimeSpan.FromSeconds(1);
        o.NodeLifecycle.EvictionDelay = TimeSpan.FromSeconds(1);
    });

    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<string> _alive = new() { "node-a", "node-b" };
    private Task? _heartbeats;

    public async Task InitializeAsync()
    {
        await _cp.AddNodeAsync("node-a");
        await _cp.AddNodeAsync("node-b");
        _heartbeats = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                foreach (var n in _alive.ToList())
                {
                    await _cp.HeartbeatAsync(n);
                }

                try
                {
                    await Task.Delay(200, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
        await _cp.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _stop.Cancel();
        await _heartbeats!;
        await _cp.DisposeAsync();
    }

    [Fact]
    public async Task Silent_node_becomes_unknown_is_tainted_and_its_pods_are_recreated_elsewhere()
    {
        await _cp.Store.CreateAsync(ControlPlane.NewDeployment("ha", 4));
        await _cp.RolledOutAsync("ha");
        var onA = _cp.Pods("app=ha").Where(p => p.Spec!.NodeName == "node-a").Select(p => p.Metadata.Name).ToList();
        Assert.NotEmpty(onA);

        _alive.Remove("node-a");

        var node = await Eventually.Until(
            () => _cp.Store.Get<Node>(null, "node-a")!,
            n => n.Spec?.Taints?.Any(t => t.Key == NodeLifecycleReconciler.UnreachableTaint && t.Effect == "NoExecute") == true,
            TimeSpan.FromSeconds(10), "unreachable taint on node-a");
        Assert.Equal("Unknown", node.Status!.Conditions!.Single(c => c.Type == "Ready").Status);

        var pods = await Eventually.Until(
            () => _cp.Pods("app=ha"),
            l => l.Count == 4 && l.All(p => p.Spec!.NodeName == "node-b" && p.Status?.Phase == "Running"),
            TimeSpan.FromSeconds(15), "all 4 pods running on node-b");
        Assert.DoesNotContain(pods, p => onA.Contains(p.Metadata.Name));
        await _cp.FlushEventsAsync();
        Assert.NotEmpty(_cp.Events("Evicted"));
        Assert.NotEmpty(_cp.Events("NodeNotReady", "node-a"));

        // The node comes back: the taint goes.
        _alive.Add("node-a");
        await Eventually.True(() => _cp.Store.Get<Node>(null, "node-a")!.Spec?.Taints == null, TimeSpan.FromSeconds(10), "taint removed after heartbeat");
    }

    [Fact]
    public async Task Pods_tolerating_the_taint_without_seconds_stay_and_toleration_seconds_are_honoured()
    {
        var forever = ControlPlane.NewDeployment("forever", 1, edit: d =>
        {
            d.Spec!.Template.Spec!.NodeSelector = new() { ["kubernetes.io/hostname"] = "node-a" };
            d.Spec.Template.Spec.Tolerations = new() { new Toleration { Key = NodeLifecycleReconciler.UnreachableTaint, Operator = "Exists", Effect = "NoExecute" } };
        });
        var later = ControlPlane.NewDeployment("later", 1, edit: d =>
        {
            d.Spec!.Template.Spec!.NodeSelector = new() { ["kubernetes.io/hostname"] = "node-a" };
            d.Spec.Template.Spec.Tolerations = new() { new Toleration { Key = NodeLifecycleReconciler.UnreachableTaint, Operator = "Exists", Effect = "NoExecute", TolerationSeconds = 3 } };
        });
        await _cp.Store.CreateAsync(forever);
        await _cp.Store.CreateAsync(later);
        await _cp.RolledOutAsync("forever");
        await _cp.RolledOutAsync("later");
        var laterPod = _cp.Pods("app=later").Single().Metadata.Name;
        var foreverPod = _cp.Pods("app=forever").Single().Metadata.Name;

        _alive.Remove("node-a");
        await Eventually.True(() => _cp.Store.Get<Node>(null, "node-a")!.Spec?.Taints != null, TimeSpan.FromSeconds(10), "node-a tainted");
        var tainted = DateTime.UtcNow;

        await Eventually.True(() => _cp.Store.Get<Pod>("default", laterPod!) == null, TimeSpan.FromSeconds(10), "pod with tolerationSeconds=3 evicted");
        Assert.True(DateTime.UtcNow - tainted >= TimeSpan.FromSeconds(1.5), "evicted before its tolerationSeconds ran out");
        Assert.NotNull(_cp.Store.Get<Pod>("default", foreverPod!));
    }

    [Fact]
    public async Task Cordoned_node_gets_no_new_pods()
    {
        await Eventually.UntilAsync(
            async () =>
            {
                var n = _cp.Store.Get<Node>(null, "node-a")!;
                n.Spec!.Unschedulable = true;
                try
                {
                    await _cp.Store.UpdateAsync(n);
                    return true;
                }
                catch (GitOrch.Engine.Store.StoreException e) when (e.IsConflict)
                {
                    return false;
                }
            },
            ok => ok, TimeSpan.FromSeconds(5), "node-a cordoned");

        await _cp.Store.CreateAsync(ControlPlane.NewDeployment("cordon", 4));
        await _cp.RolledOutAsync("cordon");
        Assert.All(_cp.Pods("app=cordon"), p => Assert.Equal("node-b", p.Spec!.NodeName));
    }
}
