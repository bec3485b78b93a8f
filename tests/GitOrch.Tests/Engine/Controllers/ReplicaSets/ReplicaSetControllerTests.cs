using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Controllers;
using Xunit;

namespace GitOrch.Tests.Engine.Controllers.ReplicaSets;

public sealed class ReplicaSetControllerTests : IAsyncLifetime
{
    private readonly ControlPlane _cp = new();

    public async Task InitializeAsync()
    {
        await _cp.AddNodeAsync("node-1");
        await _cp.AddNodeAsync("node-2");
        await _cp.StartAsync();
    }

    public async Task DisposeAsync() => await _cp.DisposeAsync();

    private static ReplicaSet NewReplicaSet(string name, int replicas) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "default" },
        Spec = new ReplicaSetSpec
        {
            Replicas = replicas,
            Selector = new LabelSelector { MatchLabels = new() { ["app"] = name } },
            Template = new PodTemplateSpec
            {
                Metadata = new ObjectMeta { Labels = new() { ["app"] = name } },
                Spec = new PodSpec { Containers = { new Container { Name = "main", Image = "busybox" } } },
            },
        },
    };

    private static Pod NewPod(string name, string app) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "default", Labels = new() { ["app"] = app } },
        Spec = new PodSpec { Containers = { new Container { Name = "main", Image = "busybox" } } },
    };

    [Fact]
    public async Task Orphan_pods_matching_the_selector_are_adopted_instead_of_creating_new_ones()
    {
        await _cp.Store.CreateAsync(NewPod("stray-1", "adopt"));
        await _cp.Store.CreateAsync(NewPod("stray-2", "adopt"));
        var rs = await _cp.Store.CreateAsync(NewReplicaSet("adopt", 3));

        var pods = await Eventually.Until(() => _cp.Pods("app=adopt"), l => l.Count == 3 && l.All(p => p.Metadata.OwnerReferences?.Count == 1), TimeSpan.FromSeconds(10), "3 owned pods");
        Assert.All(pods, p => Assert.Equal(rs.Metadata.Uid, p.Metadata.OwnerReferences![0].Uid));
        Assert.Contains(pods, p => p.Metadata.Name == "stray-1");
        Assert.Contains(pods, p => p.Metadata.Name == "stray-2");
        await Eventually.True(() => _cp.Store.Get<ReplicaSet>("default", "adopt")!.Status?.ReadyReplicas == 3, TimeSpan.FromSeconds(10), "status readyReplicas 3");
    }

    [Fact]
    public async Task A_pod_whose_labels_stop_matching_is_released_and_replaced()
    {
        await _cp.Store.CreateAsync(NewReplicaSet("rel", 2));
        var pods = await Eventually.Until(() => _cp.Pods("app=rel"), l => l.Count == 2, TimeSpan.FromSeconds(10), "2 pods");

        var victim = pods[0];
        await Eventually.UntilAsync(
            async () =>
            {
                // The agent writes status meanwhile: re-read and retry on conflict, as any client would.
                var fresh = _cp.Store.Get<Pod>("default", victim.Metadata.Name!)!;
                fresh.Metadata.Labels!["app"] = "debug";
                try
                {
                    await _cp.Store.UpdateAsync(fresh);
                    return true;
                }
                catch (GitOrch.Engine.Store.StoreException e) when (e.IsConflict)
                {
                    return false;
                }
            },
            ok => ok, TimeSpan.FromSeconds(5), "labels changed");

        await Eventually.True(() => _cp.Store.Get<Pod>("default", victim.Metadata.Name!)!.Metadata.OwnerReferences == null, TimeSpan.FromSeconds(10), "released pod has no owner");
        await Eventually.True(() => _cp.Pods("app=rel").Count == 2, TimeSpan.FromSeconds(10), "replacement created");
        Assert.NotNull(_cp.Store.Get<Pod>("default", victim.Metadata.Name!));
    }

    [Fact]
    public async Task Scale_down_deletes_unscheduled_and_not_ready_pods_first()
    {
        _cp.NeverReady = p => p.Metadata.Name!.StartsWith("slow", StringComparison.Ordinal);
        await _cp.Store.CreateAsync(NewReplicaSet("order", 2));
        await Eventually.True(() => _cp.Pods("app=order").Count(p => p.Status?.Phase == "Running") == 2, TimeSpan.FromSeconds(10), "2 running pods");
        await _cp.Store.CreateAsync(NewPod("slow-1", "order"));
        var rs = _cp.Store.Get<ReplicaSet>("default", "order")!;
        await Eventually.True(() => _cp.Pods("app=order").Count(p => p.Metadata.OwnerReferences != null) == 3 || _cp.Pods("app=order").Count == 2, TimeSpan.FromSeconds(10), "orphan adopted then surplus removed");

        // The adopted surplus Pod is the one that is not ready: it goes, the ready ones stay.
        var left = await Eventually.Until(() => _cp.Pods("app=order"), l => l.Count == 2, TimeSpan.FromSeconds(10), "back to 2 pods");
        Assert.DoesNotContain(left, p => p.Metadata.Name == "slow-1");
        Assert.Equal(rs.Metadata.Uid, left[0].Metadata.OwnerReferences![0].Uid);
    }
}
