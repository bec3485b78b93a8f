using GitOrch.Api.Model;
using GitOrch.Engine.Controllers.DaemonSets;
using GitOrch.Tests.Infrastructure.Controllers;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace GitOrch.Tests.Engine.Controllers.DaemonSets;

public sealed class DaemonSetReconcilerTests : IAsyncLifetime
{
    private readonly WorkloadHarness _h = new();
    private DaemonSetReconciler _ds = null!;

    public async Task InitializeAsync()
    {
        await _h.StartAsync();
        _ds = new DaemonSetReconciler(_h.Store, _h.Informers, _h.Events, _h.Clock, _h.ControllerOptions, NullLogger<DaemonSetReconciler>.Instance);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private Task<DaemonSet> CreateAsync(string name, Action<DaemonSetSpec>? edit = null)
    {
        var labels = new Dictionary<string, string> { ["app"] = name };
        var spec = new DaemonSetSpec
        {
            Selector = new LabelSelector { MatchLabels = new(labels) },
            Template = WorkloadHarness.Template(labels),
        };
        edit?.Invoke(spec);
        return _h.Store.CreateAsync(new DaemonSet { Metadata = new ObjectMeta { Name = name, Namespace = "default" }, Spec = spec });
    }

    /// <summary>Node name for each daemon Pod, sorted.</summary>
    private List<string> Placed(DaemonSet ds) => _h.PodsOf(ds).Select(p => p.Spec!.NodeName!).OrderBy(n => n, StringComparer.Ordinal).ToList();

    private async Task RunAllAsync(DaemonSet ds)
    {
        foreach (var p in _h.PodsOf(ds).Where(p => p.Status?.Phase != "Running"))
        {
            await _h.RunAsync(p);
        }
    }

    [Fact]
    public async Task One_pod_per_node_follows_nodes_joining_and_leaving()
    {
        await _h.AddNodeAsync("node-a");
        await _h.AddNodeAsync("node-b");
        var ds = await CreateAsync("logs");
        await _h.ReconcileAsync(_ds, ds);
        Assert.Equal(new[] { "node-a", "node-b" }, Placed(ds));
        var pod = _h.PodsOf(ds).First(p => p.Spec!.NodeName == "node-a");
        Assert.Equal("node-a", pod.Spec!.Affinity!.NodeAffinity!.RequiredDuringSchedulingIgnoredDuringExecution!.NodeSelectorTerms.Single().MatchFields!.Single().Values!.Single());
        Assert.Contains(pod.Spec.Tolerations!, t => t.Key == "node.kubernetes.io/unreachable" && t.Effect == "NoExecute");

        // Reconciling again changes nothing.
        await _h.ReconcileAsync(_ds, ds);
        Assert.Equal(2, _h.PodsOf(ds).Count);

        await _h.AddNodeAsync("node-c");
        await _h.ReconcileAsync(_ds, ds);
        Assert.Equal(new[] { "node-a", "node-b", "node-c" }, Placed(ds));

        await _h.DeleteNodeAsync("node-b");
        await _h.ReconcileAsync(_ds, ds);
        Assert.Equal(new[] { "node-a", "node-c" }, Placed(ds));

        await RunAllAsync(ds);
        await _h.ReconcileAsync(_ds, ds);
        var status = _h.Get<DaemonSet>(ds).Status!;
        Assert.Equal((2, 2, 2, 2, 0), (status.DesiredNumberScheduled, status.CurrentNumberScheduled, status.NumberReady, status.NumberAvailable!.Value, status.NumberMisscheduled));
        Assert.Equal(2, status.UpdatedNumberScheduled);
    }

    [Fact]
    public async Task NodeSelector_limits_the_nodes_and_relabelling_a_node_moves_the_daemon()
    {
        await _h.AddNodeAsync("gpu-1", new() { ["gpu"] = "true" });
        await _h.AddNodeAsync("cpu-1");
        var ds = await CreateAsync("gpu-agent", s => s.Template.Spec!.NodeSelector = new() { ["gpu"] = "true" });
        await _h.ReconcileAsync(_ds, ds);
        Assert.Equal(new[] { "gpu-1" }, Placed(ds));

        var node = _h.Store.Get<Node>(null, "gpu-1")!;
        node.Metadata.Labels = null;
        await _h.Store.UpdateAsync(node);
        node = _h.Store.Get<Node>(null, "cpu-1")!;
        node.Metadata.Labels = new() { ["gpu"] = "true" };
        await _h.Store.UpdateAsync(node);
        await _h.ReconcileAsync(_ds, ds);
        Assert.Equal(new[] { "cpu-1" }, Placed(ds));
        Assert.Equal(1, _h.Get<DaemonSet>(ds).Status!.DesiredNumberScheduled);
    }

    [Fact]
    public async Task Required_node_affinity_is_honoured()
    {
        await _h.AddNodeAsync("eu-1", new() { ["zone"] = "eu" });
        await _h.AddNodeAsync("us-1", new() { ["zone"] = "us" });
        var ds = await CreateAsync("eu-only", s => s.Template.Spec!.Affinity = new Affinity
        {
            NodeAffinity = new NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new NodeSelector
                {
                    NodeSelectorTerms = new() { new NodeSelectorTerm { MatchExpressions = new() { new LabelSelectorRequirement { Key = "zone", Operator = "In", Values = new() { "eu" } } } } },
                },
            },
        });
        await _h.ReconcileAsync(_ds, ds);
        Assert.Equal(new[] { "eu-1" }, Placed(ds));
    }

    [Fact]
    public async Task NoSchedule_taint_keeps_new_daemons_off_but_NoExecute_evicts_them()
    {
        await _h.AddNodeAsync("node-a");
        await _h.AddNodeAsync("node-b");
        var ds = await CreateAsync("mon");
        await _h.ReconcileAsync(_ds, ds);
        Assert.Equal(new[] { "node-a", "node-b" }, Placed(ds));

        // NoSchedule on a node that already has its daemon: it stays (counted as misscheduled); a new tainted node gets none.
        await _h.TaintNodeAsync("node-a", new Taint { Key = "dedicated", Value = "db", Effect = "NoSchedule" });
        await _h.AddNodeAsync("node-c", taints: new() { new Taint { Key = "dedicated", Value = "db", Effect = "NoSchedule" } });
        await _h.ReconcileAsync(_ds, ds);
        Assert.Equal(new[] { "node-a", "node-b" }, Placed(ds));
        var status = _h.Get<DaemonSet>(ds).Status!;
        Assert.Equal((1, 1), (status.DesiredNumberScheduled, status.NumberMisscheduled));

        // NoExecute evicts.
        await _h.TaintNodeAsync("node-b", new Taint { Key = "dedicated", Value = "db", Effect = "NoExecute" });
        await _h.ReconcileAsync(_ds, ds);
        Assert.Equal(new[] { "node-a" }, Placed(ds));

        // Node trouble taints are tolerated by every daemon: an unreachable node keeps its daemon.
        await _h.AddNodeAsync("node-d", taints: new() { new Taint { Key = "node.kubernetes.io/unreachable", Effect = "NoExecute" } });
        await _h.ReconcileAsync(_ds, ds);
        Assert.Equal(new[] { "node-a", "node-d" }, Placed(ds));
    }

    [Fact]
    public async Task A_toleration_in_the_template_lets_the_daemon_onto_tainted_nodes()
    {
        await _h.AddNodeAsync("db-1", taints: new() { new Taint { Key = "dedicated", Value = "db", Effect = "NoExecute" } });
        var ds = await CreateAsync("db-agent", s => s.Template.Spec!.Tolerations = new() { new Toleration { Key = "dedicated", Operator = "Equal", Value = "db" } });
        await _h.ReconcileAsync(_ds, ds);
        Assert.Equal(new[] { "db-1" }, Placed(ds));
    }

    [Fact]
    public async Task Failed_daemon_is_replaced()
    {
        await _h.AddNodeAsync("node-a");
        var ds = await CreateAsync("flaky");
        await _h.ReconcileAsync(_ds, ds);
        var first = _h.PodsOf(ds).Single();
        await _h.ExitAsync(first, 1);
        await _h.ReconcileAsync(_ds, ds);
        await _h.ReconcileAsync(_ds, ds);
        var second = _h.PodsOf(ds).Single();
        Assert.NotEqual(first.Metadata.Uid, second.Metadata.Uid);
        Assert.Equal("node-a", second.Spec!.NodeName);
    }

    [Fact]
    public async Task RollingUpdate_never_has_more_than_maxUnavailable_nodes_without_an_available_daemon()
    {
        foreach (var n in new[] { "node-a", "node-b", "node-c", "node-d" })
        {
            await _h.AddNodeAsync(n);
        }

        var ds = await CreateAsync("roll", s => s.UpdateStrategy = new DaemonSetUpdateStrategy { Type = "RollingUpdate", RollingUpdate = new RollingUpdateDaemonSet { MaxUnavailable = 2 } });
        await _h.ReconcileAsync(_ds, ds);
        await RunAllAsync(ds);
        await _h.ReconcileAsync(_ds, ds);

        var s = _h.Get<DaemonSet>(ds);
        s.Spec!.Template.Spec!.Containers[0].Image = "v2";
        await _h.Store.UpdateAsync(s);

        for (var step = 0; step < 20; step++)
        {
            await _h.ReconcileAsync(_ds, ds);
            var pods = _h.PodsOf(ds);
            var availableNodes = pods.Where(p => p.Status?.Phase == "Running").Select(p => p.Spec!.NodeName).Distinct().Count();
            Assert.True(4 - availableNodes <= 2, $"step {step}: only {availableNodes} of 4 nodes have an available daemon");
            Assert.True(pods.GroupBy(p => p.Spec!.NodeName).All(g => g.Count() == 1), $"step {step}: a node runs two daemons");
            if (pods.Count == 4 && pods.All(p => p.Spec!.Containers[0].Image == "v2" && p.Status?.Phase == "Running"))
            {
                break;
            }

            await RunAllAsync(ds);
        }

        Assert.All(_h.PodsOf(ds), p => Assert.Equal("v2", p.Spec!.Containers[0].Image));
        await _h.ReconcileAsync(_ds, ds);
        Assert.Equal(4, _h.Get<DaemonSet>(ds).Status!.UpdatedNumberScheduled);
    }

    [Fact]
    public async Task OnDelete_replaces_a_daemon_only_when_it_is_deleted()
    {
        await _h.AddNodeAsync("node-a");
        await _h.AddNodeAsync("node-b");
        var ds = await CreateAsync("manual", s => s.UpdateStrategy = new DaemonSetUpdateStrategy { Type = "OnDelete" });
        await _h.ReconcileAsync(_ds, ds);
        await RunAllAsync(ds);
        var s = _h.Get<DaemonSet>(ds);
        s.Spec!.Template.Spec!.Containers[0].Image = "v2";
        await _h.Store.UpdateAsync(s);
        await _h.ReconcileAsync(_ds, ds);
        Assert.All(_h.PodsOf(ds), p => Assert.Equal("gitorch-test/busybox:latest", p.Spec!.Containers[0].Image));

        var onA = _h.PodsOf(ds).Single(p => p.Spec!.NodeName == "node-a");
        await _h.Store.DeleteAsync(ResourceKinds.Pod, "default", onA.Metadata.Name!);
        await _h.ReconcileAsync(_ds, ds);
        var images = _h.PodsOf(ds).ToDictionary(p => p.Spec!.NodeName!, p => p.Spec!.Containers[0].Image);
        Assert.Equal("v2", images["node-a"]);
        Assert.Equal("gitorch-test/busybox:latest", images["node-b"]);
        Assert.Equal(1, _h.Get<DaemonSet>(ds).Status!.UpdatedNumberScheduled);
    }

    [Fact]
    public async Task Orphaned_daemon_is_adopted_and_maxSurge_is_reported_as_not_implemented()
    {
        await _h.AddNodeAsync("node-a");
        var orphan = await _h.Store.CreateAsync(new Pod
        {
            Metadata = new ObjectMeta { Name = "old-daemon", Namespace = "default", Labels = new() { ["app"] = "adopt" } },
            Spec = new PodSpec { NodeName = "node-a", Containers = { new Container { Name = "main", Image = "busybox" } } },
        });
        var ds = await CreateAsync("adopt", s => s.UpdateStrategy = new DaemonSetUpdateStrategy { Type = "OnDelete", RollingUpdate = new RollingUpdateDaemonSet { MaxSurge = 1 } });
        await _h.ReconcileAsync(_ds, ds);
        Assert.Equal(orphan.Metadata.Uid, Assert.Single(_h.PodsOf(ds)).Metadata.Uid);
        Assert.True(_h.Events.Has("FieldNotImplemented"));
    }
}
