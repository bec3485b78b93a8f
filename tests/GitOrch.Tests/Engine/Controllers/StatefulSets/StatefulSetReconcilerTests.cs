using GitOrch.Api.Model;
using GitOrch.Engine.Controllers.StatefulSets;
using GitOrch.Tests.Infrastructure.Controllers;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace GitOrch.Tests.Engine.Controllers.StatefulSets;

public sealed class StatefulSetReconcilerTests : IAsyncLifetime
{
    private readonly WorkloadHarness _h = new();
    private StatefulSetReconciler _sts = null!;

    public async Task InitializeAsync()
    {
        await _h.StartAsync();
        _sts = new StatefulSetReconciler(_h.Store, _h.Informers, _h.Events, _h.Clock, _h.ControllerOptions, NullLogger<StatefulSetReconciler>.Instance);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private Task<StatefulSet> CreateAsync(string name, int replicas, Action<StatefulSetSpec>? edit = null)
    {
        var labels = new Dictionary<string, string> { ["app"] = name };
        var spec = new StatefulSetSpec
        {
            Replicas = replicas,
            ServiceName = name + "-svc",
            Selector = new LabelSelector { MatchLabels = new(labels) },
            Template = WorkloadHarness.Template(labels),
        };
        edit?.Invoke(spec);
        return _h.Store.CreateAsync(new StatefulSet { Metadata = new ObjectMeta { Name = name, Namespace = "default" }, Spec = spec });
    }

    private List<string> Names(StatefulSet set) => _h.PodsOf(set).Select(p => p.Metadata.Name!).OrderBy(n => n, StringComparer.Ordinal).ToList();

    private static string Image(Pod p) => p.Spec!.Containers[0].Image!;

    /// <summary>Plays scheduler and agent: binds every new Pod to node-a and makes it Running and Ready, reconciling until nothing changes.</summary>
    private async Task ConvergeAsync(StatefulSet set, int rounds = 20)
    {
        for (var i = 0; i < rounds; i++)
        {
            await _h.ReconcileAsync(_sts, set);
            var pending = _h.PodsOf(set).Where(p => p.Status?.Phase != "Running").ToList();
            if (pending.Count == 0)
            {
                await _h.ReconcileAsync(_sts, set);
                if (_h.PodsOf(set).All(p => p.Status?.Phase == "Running"))
                {
                    return;
                }

                continue;
            }

            foreach (var p in pending)
            {
                if (string.IsNullOrEmpty(p.Spec!.NodeName))
                {
                    await _h.BindAsync(p, "node-a");
                }

                await _h.RunAsync(p);
            }
        }
    }

    private async Task SetImageAsync(StatefulSet set, string image, Action<StatefulSetSpec>? edit = null)
    {
        var s = _h.Get<StatefulSet>(set);
        s.Spec!.Template.Spec!.Containers[0].Image = image;
        edit?.Invoke(s.Spec);
        await _h.Store.UpdateAsync(s);
    }

    [Fact]
    public async Task OrderedReady_creates_one_ordinal_at_a_time_each_ready_before_the_next_and_removes_from_the_top()
    {
        var set = await CreateAsync("web", 3);
        await _h.ReconcileAsync(_sts, set);
        Assert.Equal(new[] { "web-0" }, Names(set));

        // web-0 exists but is not Ready: web-1 waits.
        await _h.RunAsync(_h.PodsOf(set)[0], ready: false);
        await _h.ReconcileAsync(_sts, set);
        Assert.Equal(new[] { "web-0" }, Names(set));

        await _h.RunAsync(_h.PodsOf(set)[0]);
        await _h.ReconcileAsync(_sts, set);
        Assert.Equal(new[] { "web-0", "web-1" }, Names(set));

        await ConvergeAsync(set);
        Assert.Equal(new[] { "web-0", "web-1", "web-2" }, Names(set));
        Assert.Equal(3, _h.Get<StatefulSet>(set).Status!.ReadyReplicas);

        var s = _h.Get<StatefulSet>(set);
        s.Spec!.Replicas = 1;
        await _h.Store.UpdateAsync(s);
        await _h.ReconcileAsync(_sts, set);
        Assert.Equal(new[] { "web-0", "web-1" }, Names(set));
        await _h.ReconcileAsync(_sts, set);
        Assert.Equal(new[] { "web-0" }, Names(set));
    }

    [Fact]
    public async Task Parallel_creates_and_removes_all_ordinals_at_once()
    {
        var set = await CreateAsync("par", 3, s => s.PodManagementPolicy = "Parallel");
        await _h.ReconcileAsync(_sts, set);
        Assert.Equal(new[] { "par-0", "par-1", "par-2" }, Names(set));

        var s = _h.Get<StatefulSet>(set);
        s.Spec!.Replicas = 0;
        await _h.Store.UpdateAsync(s);
        await _h.ReconcileAsync(_sts, set);
        Assert.Empty(Names(set));
    }

    [Fact]
    public async Task Pods_keep_name_hostname_and_volume_and_come_back_to_the_node_holding_their_volume()
    {
        await _h.AddNodeAsync("node-a");
        var set = await CreateAsync("db", 2, s => s.VolumeClaimTemplates = new()
        {
            new PersistentVolumeClaim { Metadata = new ObjectMeta { Name = "data" } },
        });
        await ConvergeAsync(set);
        var pod = _h.PodsOf(set).Single(p => p.Metadata.Name == "db-1");
        Assert.Equal("db-1", pod.Spec!.Hostname);
        Assert.Equal("db-svc", pod.Spec.Subdomain);
        Assert.Equal("db-1", pod.Metadata.Labels![StatefulSetLabels.PodName]);
        Assert.Equal("1", pod.Metadata.Labels[StatefulSetLabels.PodIndex]);
        var volume = Assert.Single(pod.Spec.Volumes!);
        Assert.Equal("data", volume.Name);
        Assert.Equal("data-db-1", volume.PersistentVolumeClaim!.ClaimName);

        // The scheduler put db-1 on node-a; the Pod goes away (node drained, deleted by hand, ...).
        await _h.ReconcileAsync(_sts, set);
        Assert.Contains("\"1\":\"node-a\"", _h.Get<StatefulSet>(set).Metadata.Annotations![StatefulSetLabels.VolumeNodes]);
        var uid = pod.Metadata.Uid;
        await _h.Store.DeleteAsync(ResourceKinds.Pod, "default", "db-1");
        await _h.ReconcileAsync(_sts, set);

        var again = _h.PodsOf(set).Single(p => p.Metadata.Name == "db-1");
        Assert.NotEqual(uid, again.Metadata.Uid);
        Assert.Equal("data-db-1", again.Spec!.Volumes!.Single().PersistentVolumeClaim!.ClaimName);
        var term = Assert.Single(again.Spec.Affinity!.NodeAffinity!.RequiredDuringSchedulingIgnoredDuringExecution!.NodeSelectorTerms);
        var field = Assert.Single(term.MatchFields!);
        Assert.Equal(("metadata.name", "In", "node-a"), (field.Key, field.Operator, field.Values!.Single()));
    }

    [Fact]
    public async Task Failed_pod_is_replaced_under_the_same_name()
    {
        var set = await CreateAsync("crash", 1);
        await ConvergeAsync(set);
        var first = _h.PodsOf(set).Single();
        await _h.ExitAsync(first, 1);
        await _h.ReconcileAsync(_sts, set);
        Assert.Empty(_h.PodsOf(set));
        await _h.ReconcileAsync(_sts, set);
        var second = _h.PodsOf(set).Single();
        Assert.Equal("crash-0", second.Metadata.Name);
        Assert.NotEqual(first.Metadata.Uid, second.Metadata.Uid);
    }

    [Fact]
    public async Task Partitioned_rolling_update_replaces_from_the_top_down_to_the_partition_only()
    {
        var set = await CreateAsync("part", 3);
        await ConvergeAsync(set);
        var oldRevision = _h.Get<StatefulSet>(set).Status!.CurrentRevision;

        await SetImageAsync(set, "v2", s => s.UpdateStrategy = new StatefulSetUpdateStrategy { Type = "RollingUpdate", RollingUpdate = new RollingUpdateStatefulSetStrategy { Partition = 1 } });

        // One at a time from the top: part-2 goes first, part-1 waits until part-2 is back and Ready.
        await _h.ReconcileAsync(_sts, set);
        Assert.Equal(new[] { "part-0", "part-1" }, Names(set));
        await ConvergeAsync(set);

        var pods = _h.PodsOf(set).ToDictionary(p => p.Metadata.Name!);
        Assert.Equal("v2", Image(pods["part-2"]));
        Assert.Equal("v2", Image(pods["part-1"]));
        Assert.Equal("gitorch-test/busybox:latest", Image(pods["part-0"]));
        var status = _h.Get<StatefulSet>(set).Status!;
        Assert.Equal(2, status.UpdatedReplicas);
        Assert.Equal(oldRevision, status.CurrentRevision);
        Assert.NotEqual(oldRevision, status.UpdateRevision);

        // Below the partition a deleted Pod comes back at the old revision.
        await _h.Store.DeleteAsync(ResourceKinds.Pod, "default", "part-0");
        await ConvergeAsync(set);
        var part0 = _h.PodsOf(set).Single(p => p.Metadata.Name == "part-0");
        Assert.Equal("gitorch-test/busybox:latest", Image(part0));
        Assert.Equal(oldRevision, part0.Metadata.Labels![StatefulSetLabels.RevisionHash]);

        // Partition 0 finishes the rollout and the update revision becomes current.
        var s = _h.Get<StatefulSet>(set);
        s.Spec!.UpdateStrategy!.RollingUpdate!.Partition = 0;
        await _h.Store.UpdateAsync(s);
        await ConvergeAsync(set);
        Assert.All(_h.PodsOf(set), p => Assert.Equal("v2", Image(p)));
        status = _h.Get<StatefulSet>(set).Status!;
        Assert.Equal(status.UpdateRevision, status.CurrentRevision);
        Assert.Equal(3, status.CurrentReplicas);
    }

    [Fact]
    public async Task OnDelete_replaces_nothing_until_a_pod_is_deleted()
    {
        var set = await CreateAsync("manual", 2, s => s.UpdateStrategy = new StatefulSetUpdateStrategy { Type = "OnDelete" });
        await ConvergeAsync(set);
        await SetImageAsync(set, "v2");
        await ConvergeAsync(set);
        Assert.All(_h.PodsOf(set), p => Assert.Equal("gitorch-test/busybox:latest", Image(p)));

        await _h.Store.DeleteAsync(ResourceKinds.Pod, "default", "manual-0");
        await ConvergeAsync(set);
        var pods = _h.PodsOf(set).ToDictionary(p => p.Metadata.Name!);
        Assert.Equal("v2", Image(pods["manual-0"]));
        Assert.Equal("gitorch-test/busybox:latest", Image(pods["manual-1"]));
        Assert.Equal(1, _h.Get<StatefulSet>(set).Status!.UpdatedReplicas);
    }

    [Fact]
    public async Task Orphaned_pods_of_a_recreated_statefulset_are_adopted_not_duplicated()
    {
        // What a delete with propagationPolicy Orphan leaves behind: the Pod runs on without an owner.
        var orphan = await _h.Store.CreateAsync(new Pod
        {
            Metadata = new ObjectMeta { Name = "kept-0", Namespace = "default", Labels = new() { ["app"] = "kept" } },
            Spec = new PodSpec { Containers = { new Container { Name = "main", Image = "busybox" } } },
        });
        var set = await CreateAsync("kept", 1);
        await _h.ReconcileAsync(_sts, set);
        var pod = Assert.Single(_h.PodsOf(set));
        Assert.Equal(orphan.Metadata.Uid, pod.Metadata.Uid);
    }

    [Fact]
    public async Task An_ordinal_whose_volume_node_was_removed_is_no_longer_pinned()
    {
        await _h.AddNodeAsync("node-a");
        var set = await CreateAsync("lost", 1, s => s.VolumeClaimTemplates = new() { new PersistentVolumeClaim { Metadata = new ObjectMeta { Name = "data" } } });
        await ConvergeAsync(set);
        await _h.ReconcileAsync(_sts, set);
        Assert.Contains("node-a", _h.Get<StatefulSet>(set).Metadata.Annotations![StatefulSetLabels.VolumeNodes]);

        await _h.Store.DeleteAsync(ResourceKinds.Pod, "default", "lost-0");
        await _h.DeleteNodeAsync("node-a");
        await _h.ReconcileAsync(_sts, set);
        var pod = Assert.Single(_h.PodsOf(set));
        Assert.Null(pod.Spec!.Affinity);
        Assert.True(_h.Events.Has("VolumeNodeGone"));
    }
}
