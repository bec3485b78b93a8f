using GitOrch.Api.Model;
using GitOrch.Api.Networking;
using GitOrch.Engine.Services;
using GitOrch.Engine.Store;
using GitOrch.Tests.Infrastructure;
using Xunit;

namespace GitOrch.Tests.Engine.Services;

public sealed class NodeCidrAllocatorTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ObjectStore _store;

    public NodeCidrAllocatorTests()
    {
        var options = new StoreOptions();
        options.Admission.Add(new NodeCidrAllocator(Ipv4Cidr.Parse("10.244.0.0/23"), 24));
        _store = ObjectStore.Open(_dir.Path, options: options);
    }

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    private static Node NodeNamed(string name, string? podCidr = null)
        => new() { Metadata = new ObjectMeta { Name = name }, Spec = new NodeSpec { PodCIDR = podCidr } };

    [Fact]
    public async Task Each_node_gets_its_own_slice_of_the_cluster_cidr()
    {
        var a = await _store.CreateAsync(NodeNamed("a"));
        var b = await _store.CreateAsync(NodeNamed("b"));
        Assert.Equal("10.244.0.0/24", a.Spec!.PodCIDR);
        Assert.Equal("10.244.1.0/24", b.Spec!.PodCIDR);
        Assert.Equal(["10.244.1.0/24"], b.Spec.PodCIDRs!);
    }

    [Fact]
    public async Task Exhausted_cluster_cidr_registers_the_node_without_podCIDR_until_a_slice_frees()
    {
        await _store.CreateAsync(NodeNamed("a"));
        await _store.CreateAsync(NodeNamed("b"));
        var c = await _store.CreateAsync(NodeNamed("c"));
        Assert.Null(c.Spec!.PodCIDR);

        await _store.DeleteAsync(ResourceKinds.Node, null, "a");
        c.Metadata.Labels = new() { ["touched"] = "1" };
        var updated = await _store.UpdateAsync(c);
        Assert.Equal("10.244.0.0/24", updated.Spec!.PodCIDR);
    }

    [Fact]
    public async Task PodCIDR_is_kept_on_update_and_cannot_be_changed_or_overlap()
    {
        var a = await _store.CreateAsync(NodeNamed("a"));
        var again = NodeNamed("a");
        again.Metadata.ResourceVersion = a.Metadata.ResourceVersion;
        var kept = await _store.UpdateAsync(again);
        Assert.Equal(a.Spec!.PodCIDR, kept.Spec!.PodCIDR);

        var moved = NodeNamed("a", "10.244.1.0/24");
        moved.Metadata.ResourceVersion = kept.Metadata.ResourceVersion;
        Assert.Equal(422, (await Assert.ThrowsAsync<StoreException>(() => _store.UpdateAsync(moved))).Code);

        var overlap = await Assert.ThrowsAsync<StoreException>(() => _store.CreateAsync(NodeNamed("b", "10.244.0.0/25")));
        Assert.Contains("overlaps the podCIDR of node a", overlap.Message, StringComparison.Ordinal);
    }
}
