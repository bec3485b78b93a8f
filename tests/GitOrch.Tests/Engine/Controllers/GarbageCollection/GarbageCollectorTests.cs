using GitOrch.Api.Model;
using GitOrch.Engine.Store;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Controllers;
using Xunit;

namespace GitOrch.Tests.Engine.Controllers.GarbageCollection;

public sealed class GarbageCollectorTests : IAsyncLifetime
{
    private readonly ControlPlane _cp = new();

    public async Task InitializeAsync()
    {
        await _cp.AddNodeAsync("node-1");
        await _cp.StartAsync();
    }

    public async Task DisposeAsync() => await _cp.DisposeAsync();

    [Fact]
    public async Task Deleting_a_deployment_in_the_background_deletes_its_replicasets_and_pods()
    {
        await _cp.Store.CreateAsync(ControlPlane.NewDeployment("bg", 3));
        await _cp.RolledOutAsync("bg");

        await _cp.Store.DeleteAsync(ResourceKinds.Deployment, "default", "bg");

        await Eventually.True(() => _cp.ReplicaSets("app=bg").Count == 0 && _cp.Pods("app=bg").Count == 0, TimeSpan.FromSeconds(10), "replicasets and pods collected");
    }

    [Fact]
    public async Task Orphan_delete_keeps_the_replicaset_and_pods_without_owner_reference()
    {
        var d = await _cp.Store.CreateAsync(ControlPlane.NewDeployment("orph", 2));
        await _cp.RolledOutAsync("orph");

        await _cp.Store.DeleteAsync(ResourceKinds.Deployment, "default", "orph", new DeleteOptions { PropagationPolicy = "Orphan" });

        await Eventually.True(() => _cp.Store.Get<Deployment>("default", "orph") == null, TimeSpan.FromSeconds(10), "deployment gone once orphaned");
        var rs = Assert.Single(_cp.ReplicaSets("app=orph"));
        Assert.DoesNotContain(rs.Metadata.OwnerReferences ?? new(), r => r.Uid == d.Metadata.Uid);
        Assert.Equal(2, _cp.Pods("app=orph").Count);

        // And they stay: nothing collects them later.
        await Task.Delay(300);
        Assert.Equal(2, _cp.Pods("app=orph").Count);
    }

    [Fact]
    public async Task Foreground_delete_keeps_the_owner_until_its_dependents_are_gone()
    {
        await _cp.Store.CreateAsync(ControlPlane.NewDeployment("fg", 2));
        await _cp.RolledOutAsync("fg");

        var marked = await _cp.Store.DeleteAsync(ResourceKinds.Deployment, "default", "fg", new DeleteOptions { PropagationPolicy = "Foreground" });
        Assert.NotNull(marked.Metadata.DeletionTimestamp);

        await Eventually.True(() => _cp.Store.Get<Deployment>("default", "fg") == null, TimeSpan.FromSeconds(10), "deployment deleted at last");
        Assert.Empty(_cp.ReplicaSets("app=fg"));
        Assert.Empty(_cp.Pods("app=fg"));
    }

    [Fact]
    public async Task Deleting_a_namespace_deletes_everything_in_it()
    {
        await _cp.Store.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = "team" } });
        var d = ControlPlane.NewDeployment("app", 2);
        d.Metadata.Namespace = "team";
        await _cp.Store.CreateAsync(d);
        await _cp.Store.CreateAsync(new ConfigMap { Metadata = new ObjectMeta { Name = "settings", Namespace = "team" }, Data = new() { ["a"] = "b" } });
        await Eventually.True(() => _cp.Pods("app=app", "team").Count == 2, TimeSpan.FromSeconds(10), "pods in team");

        await _cp.Store.DeleteAsync(ResourceKinds.Namespace, null, "team");

        await Eventually.True(() => _cp.Store.Get<Namespace>(null, "team") == null, TimeSpan.FromSeconds(15), "namespace gone");
        Assert.Empty(_cp.Store.List<Pod>("team"));
        Assert.Empty(_cp.Store.List<Deployment>("team"));
        Assert.Empty(_cp.Store.List<ConfigMap>("team"));
    }

    [Fact]
    public async Task A_dependent_of_an_owner_that_no_longer_exists_is_deleted()
    {
        var pod = new Pod
        {
            Metadata = new ObjectMeta
            {
                Name = "dangling", Namespace = "default",
                OwnerReferences = new() { new OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "never-was", Uid = Guid.NewGuid().ToString(), Controller = true } },
            },
            Spec = new PodSpec { Containers = { new Container { Name = "c", Image = "busybox" } } },
        };
        await _cp.Store.CreateAsync(pod);

        await Eventually.True(() => _cp.Store.Get<Pod>("default", "dangling") == null, TimeSpan.FromSeconds(10), "dangling pod collected");
    }
}
