using System.Net;
using GitOrch.Api.Model;
using GitOrch.Api.Networking;
using GitOrch.Engine.Services;
using GitOrch.Engine.Store;
using GitOrch.Tests.Infrastructure;
using Xunit;

namespace GitOrch.Tests.Engine.Services;

public sealed class ClusterIPAllocatorTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ObjectStore _store;

    public ClusterIPAllocatorTests()
    {
        var options = new StoreOptions();
        options.Admission.Add(new ClusterIPAllocator(Ipv4Cidr.Parse("10.100.0.0/29")));
        _store = ObjectStore.Open(_dir.Path, options: options);
    }

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    private static Service Svc(string name, string? clusterIP = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "default" },
        Spec = new ServiceSpec { ClusterIP = clusterIP, Selector = new() { ["app"] = name }, Ports = [new() { Port = 80 }] },
    };

    [Fact]
    public async Task Service_gets_a_clusterIP_and_clusterIPs_from_the_service_cidr()
    {
        var created = await _store.CreateAsync(Svc("web"));
        Assert.True(Ipv4Cidr.Parse("10.100.0.0/29").Contains(IPAddress.Parse(created.Spec!.ClusterIP!)));
        Assert.Equal([created.Spec.ClusterIP!], created.Spec.ClusterIPs!);
        Assert.NotEqual("10.100.0.0", created.Spec.ClusterIP);
    }

    [Fact]
    public async Task Headless_service_keeps_None()
    {
        var created = await _store.CreateAsync(Svc("db", "None"));
        Assert.Equal("None", created.Spec!.ClusterIP);
        Assert.Equal(["None"], created.Spec.ClusterIPs!);
    }

    [Fact]
    public async Task Update_without_clusterIP_keeps_the_address_and_a_change_is_refused()
    {
        var created = await _store.CreateAsync(Svc("web"));
        var again = Svc("web");
        again.Metadata.ResourceVersion = created.Metadata.ResourceVersion;
        var updated = await _store.UpdateAsync(again);
        Assert.Equal(created.Spec!.ClusterIP, updated.Spec!.ClusterIP);

        var moved = Svc("web", "10.100.0.6");
        moved.Metadata.ResourceVersion = updated.Metadata.ResourceVersion;
        var ex = await Assert.ThrowsAsync<StoreException>(() => _store.UpdateAsync(moved));
        Assert.Equal(422, ex.Code);
        Assert.Contains("immutable", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Taken_or_out_of_range_address_is_refused_with_422_naming_the_owner()
    {
        await _store.CreateAsync(Svc("first", "10.100.0.3"));
        var taken = await Assert.ThrowsAsync<StoreException>(() => _store.CreateAsync(Svc("second", "10.100.0.3")));
        Assert.Equal(422, taken.Code);
        Assert.Contains("already allocated (by service default/first)", taken.Message, StringComparison.Ordinal);

        var outside = await Assert.ThrowsAsync<StoreException>(() => _store.CreateAsync(Svc("third", "10.200.0.3")));
        Assert.Contains("not in the valid range", outside.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exhausted_range_gives_422_and_creates_nothing()
    {
        // A /29 has 6 usable addresses.
        for (var i = 0; i < 6; i++)
        {
            await _store.CreateAsync(Svc("s" + i));
        }

        var ex = await Assert.ThrowsAsync<StoreException>(() => _store.CreateAsync(Svc("full")));
        Assert.Equal(422, ex.Code);
        Assert.Contains("range 10.100.0.0/29 is full", ex.Message, StringComparison.Ordinal);
        Assert.Null(_store.Get<Service>("default", "full"));
        Assert.Equal(6, _store.List<Service>("default").Select(s => s.Spec!.ClusterIP).Distinct().Count());
    }
}
