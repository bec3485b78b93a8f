using GitOrch.Api.Model;
using GitOrch.Engine.Store;
using GitOrch.Tests.Infrastructure;
using Xunit;

namespace GitOrch.Tests.Engine.Store;

/// <summary>Kubernetes' write rules as the store applies them, one row per kind of update.</summary>
public sealed class WriteRulesTests : IDisposable
{
    private readonly TempDirectory _dir = new("gitorch-writerules");
    private readonly ObjectStore _store;

    public WriteRulesTests() => _store = ObjectStore.Open(_dir.Path);

    public static TheoryData<string, Action<Deployment>, long, bool> Updates => new()
    {
        { "nothing changed", _ => { }, 1, false },
        { "spec.replicas", d => d.Spec!.Replicas = 3, 2, true },
        { "spec.template image", d => d.Spec!.Template!.Spec!.Containers[0].Image = "busybox:2", 2, true },
        { "a label", d => d.Metadata.Labels = new() { ["tier"] = "web" }, 1, true },
        { "an annotation", d => d.Metadata.Annotations = new() { ["note"] = "x" }, 1, true },
        { "the generation sent by the client", d => d.Metadata.Generation = 42, 1, false },
    };

    [Theory]
    [MemberData(nameof(Updates))]
    public async Task Generation_follows_the_spec_and_a_write_that_changes_nothing_is_no_write(string change, Action<Deployment> mutate, long generation, bool newRevision)
    {
        var created = await _store.CreateAsync(Deploy());
        var before = _store.Revision;
        var update = _store.Get<Deployment>("default", "web")!;
        mutate(update);

        var updated = await _store.UpdateAsync(update);

        Assert.True(generation == updated.Metadata.Generation, $"{change}: generation {updated.Metadata.Generation}");
        Assert.True(newRevision == (_store.Revision > before), $"{change}: revision {before} -> {_store.Revision}");
        Assert.Equal(created.Metadata.Uid, updated.Metadata.Uid);
        Assert.Equal(created.Metadata.CreationTimestamp, updated.Metadata.CreationTimestamp);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("999999")]
    public async Task Update_with_a_resourceVersion_other_than_the_current_one_is_a_conflict(string resourceVersion)
    {
        await _store.CreateAsync(Deploy());
        await _store.UpdateAsync(WithReplicas(_store.Get<Deployment>("default", "web")!, 2));
        var stale = WithReplicas(_store.Get<Deployment>("default", "web")!, 5);
        stale.Metadata.ResourceVersion = resourceVersion;

        var e = await Assert.ThrowsAsync<StoreException>(() => _store.UpdateAsync(stale));

        Assert.True(e.IsConflict);
        Assert.Equal(2, _store.Get<Deployment>("default", "web")!.Spec!.Replicas);
    }

    [Fact]
    public async Task Update_naming_another_uid_is_a_conflict_as_a_uid_precondition()
    {
        await _store.CreateAsync(Deploy());
        var other = WithReplicas(_store.Get<Deployment>("default", "web")!, 4);
        other.Metadata.Uid = "someone-else";

        var e = await Assert.ThrowsAsync<StoreException>(() => _store.UpdateAsync(other));

        Assert.True(e.IsConflict);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public async Task Delete_with_finalizers_only_marks_the_object(bool finalizer, bool stillThere)
    {
        var d = Deploy();
        if (finalizer)
        {
            d.Metadata.Finalizers = ["example.com/keep"];
        }

        await _store.CreateAsync(d);

        await _store.DeleteAsync(ResourceKinds.Of<Deployment>(), "default", "web");

        var after = _store.Get<Deployment>("default", "web");
        Assert.Equal(stillThere, after != null);
        Assert.Equal(stillThere, after?.Metadata.DeletionTimestamp != null);
    }

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    private static Deployment WithReplicas(Deployment d, int replicas)
    {
        d.Spec!.Replicas = replicas;
        return d;
    }

    private static Deployment Deploy() => new()
    {
        Metadata = new ObjectMeta { Name = "web", Namespace = "default" },
        Spec = new DeploymentSpec
        {
            Replicas = 1,
            Selector = new LabelSelector { MatchLabels = new() { ["app"] = "web" } },
            Template = new PodTemplateSpec
            {
                Metadata = new ObjectMeta { Labels = new() { ["app"] = "web" } },
                Spec = new PodSpec { Containers = { new Container { Name = "main", Image = "busybox" } } },
            },
        },
    };
}
