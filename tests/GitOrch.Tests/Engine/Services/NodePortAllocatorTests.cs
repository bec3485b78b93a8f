using GitOrch.Api.Model;
using GitOrch.Engine.Services;
using GitOrch.Engine.Store;
using GitOrch.Tests.Infrastructure;
using Xunit;

namespace GitOrch.Tests.Engine.Services;

public sealed class NodePortAllocatorTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ObjectStore _store;

    public NodePortAllocatorTests()
    {
        var options = new StoreOptions();
        options.Admission.Add(new NodePortAllocator());
        _store = ObjectStore.Open(_dir.Path, options: options);
    }

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    internal static Service Svc(string name, string? type = "NodePort", params ServicePort[] ports) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "default" },
        Spec = new ServiceSpec
        {
            Type = type,
            Selector = new() { ["app"] = name },
            Ports = ports.Length > 0 ? ports.ToList() : new List<ServicePort> { new() { Port = 80, TargetPort = 8080 } },
        },
    };

    [Fact]
    public async Task NodePort_service_without_nodePort_gets_one_from_the_documented_range()
    {
        var created = await _store.CreateAsync(Svc("web"));
        var np = Assert.Single(created.Spec!.Ports!).NodePort;
        Assert.NotNull(np);
        Assert.InRange(np!.Value, 30000, 32767);
        Assert.Equal(np, _store.Get<Service>("default", "web")!.Spec!.Ports![0].NodePort);
    }

    [Fact]
    public async Task Every_port_of_every_service_gets_a_distinct_nodePort()
    {
        var ports = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            var s = await _store.CreateAsync(Svc("s" + i, "NodePort", new ServicePort { Name = "a", Port = 80 }, new ServicePort { Name = "b", Port = 81 }));
            ports.AddRange(s.Spec!.Ports!.Select(p => p.NodePort!.Value));
        }

        Assert.Equal(10, ports.Distinct().Count());
    }

    [Fact]
    public async Task Concurrent_creates_never_share_a_nodePort()
    {
        var created = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(() => _store.CreateAsync(Svc("c" + i)))));
        Assert.Equal(32, created.Select(s => s.Spec!.Ports![0].NodePort).Distinct().Count());
    }

    [Fact]
    public async Task Requested_nodePort_that_is_taken_is_rejected_with_422()
    {
        await _store.CreateAsync(Svc("first", "NodePort", new ServicePort { Port = 80, NodePort = 30080 }));
        var ex = await Assert.ThrowsAsync<StoreException>(() => _store.CreateAsync(Svc("second", "NodePort", new ServicePort { Port = 80, NodePort = 30080 })));
        Assert.Equal(422, ex.Code);
        Assert.Equal("Invalid", ex.Reason);
        var cause = Assert.Single(ex.Causes);
        Assert.Equal("spec.ports[0].nodePort", cause.Field);
        Assert.Contains("already allocated", cause.Message);
        Assert.Null(_store.Get<Service>("default", "second"));
    }

    [Fact]
    public async Task Concurrent_requests_for_the_same_nodePort_admit_exactly_one()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await _store.CreateAsync(Svc("race" + i, "NodePort", new ServicePort { Port = 80, NodePort = 31000 }));
                return true;
            }
            catch (StoreException e) when (e.Code == 422)
            {
                return false;
            }
        })));
        Assert.Equal(1, results.Count(ok => ok));
    }

    [Theory]
    [InlineData(80)]
    [InlineData(29999)]
    [InlineData(32768)]
    public async Task NodePort_outside_the_range_is_rejected_with_422(int port)
    {
        var ex = await Assert.ThrowsAsync<StoreException>(() => _store.CreateAsync(Svc("out", "NodePort", new ServicePort { Port = 80, NodePort = port })));
        Assert.Equal(422, ex.Code);
        Assert.Contains("30000-32767", Assert.Single(ex.Causes).Message);
    }

    [Fact]
    public async Task Same_nodePort_twice_in_one_service_is_rejected()
    {
        var ex = await Assert.ThrowsAsync<StoreException>(() => _store.CreateAsync(Svc("dup", "NodePort",
            new ServicePort { Name = "a", Port = 80, NodePort = 30100 }, new ServicePort { Name = "b", Port = 81, NodePort = 30100 })));
        Assert.Equal(422, ex.Code);
        Assert.Equal("spec.ports[1].nodePort", Assert.Single(ex.Causes).Field);
    }

    [Fact]
    public async Task NodePort_on_a_ClusterIP_service_is_rejected()
    {
        var ex = await Assert.ThrowsAsync<StoreException>(() => _store.CreateAsync(Svc("cip", null, new ServicePort { Port = 80, NodePort = 30200 })));
        Assert.Equal(422, ex.Code);
        Assert.Contains("ClusterIP", Assert.Single(ex.Causes).Message);
    }

    [Fact]
    public async Task ClusterIP_service_gets_no_nodePort()
    {
        var created = await _store.CreateAsync(Svc("plain", null));
        Assert.Null(created.Spec!.Ports![0].NodePort);
    }

    [Fact]
    public async Task Update_that_omits_nodePort_keeps_the_allocated_port()
    {
        var created = await _store.CreateAsync(Svc("keep"));
        var port = created.Spec!.Ports![0].NodePort;

        var reapplied = Svc("keep");
        var updated = await _store.UpdateAsync(reapplied);
        Assert.Equal(port, updated.Spec!.Ports![0].NodePort);
    }

    [Fact]
    public async Task A_deleted_service_frees_its_nodePort()
    {
        await _store.CreateAsync(Svc("old", "NodePort", new ServicePort { Port = 80, NodePort = 30300 }));
        await _store.DeleteAsync(ResourceKinds.Service, "default", "old");
        var again = await _store.CreateAsync(Svc("new", "NodePort", new ServicePort { Port = 80, NodePort = 30300 }));
        Assert.Equal(30300, again.Spec!.Ports![0].NodePort);
    }

    [Fact]
    public async Task Updating_a_service_may_keep_its_own_nodePort()
    {
        await _store.CreateAsync(Svc("self", "NodePort", new ServicePort { Port = 80, NodePort = 30400 }));
        var update = Svc("self", "NodePort", new ServicePort { Port = 80, TargetPort = 9090, NodePort = 30400 });
        var updated = await _store.UpdateAsync(update);
        Assert.Equal(30400, updated.Spec!.Ports![0].NodePort);
    }

    [Fact]
    public void Full_range_is_reported_not_looped()
    {
        var allocator = new NodePortAllocator(new NodePortRange(30000, 30001));
        var view = new ListView();
        for (var i = 0; i < 2; i++)
        {
            var s = Svc("f" + i);
            allocator.Admit(StoreVerb.Create, s, null, view);
            view.Items.Add(s);
        }

        var ex = Assert.Throws<StoreException>(() => allocator.Admit(StoreVerb.Create, Svc("f3"), null, view));
        Assert.Contains("full", ex.Message);
    }

    private sealed class ListView : IStoreView
    {
        public List<KubeObject> Items { get; } = new();

        public IEnumerable<KubeObject> List(ResourceKind kind) => Items.Where(o => ResourceKinds.Of(o) == kind);
    }
}
