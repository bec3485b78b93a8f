using GitOrch.Api.Model;
using GitOrch.Engine.Controllers;
using GitOrch.Engine.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GitOrch.Bench.Scenarios;

/// <summary>A store on a temp dir with hollow Nodes, and the controllers/scheduler hosted as the Engine hosts them.</summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gitorch-bench-ctrl-" + Guid.NewGuid().ToString("N"));
    private ServiceProvider? _services;
    private List<IHostedService>? _hosted;

    public BenchCluster() => Store = ObjectStore.Open(_dir);

    public ObjectStore Store { get; }

    public IServiceProvider Services => _services!;

    public static Node HollowNode(int i) => new()
    {
        Metadata = new ObjectMeta { Name = $"node-{i:D5}", Labels = new() { ["kubernetes.io/hostname"] = $"node-{i:D5}" } },
        Status = new NodeStatus
        {
            Allocatable = new() { ["cpu"] = Quantity.Parse("32"), ["memory"] = Quantity.Parse("128Gi"), ["pods"] = Quantity.Parse("110") },
            Capacity = new() { ["cpu"] = Quantity.Parse("32"), ["memory"] = Quantity.Parse("128Gi"), ["pods"] = Quantity.Parse("110") },
            Conditions = new() { new Condition { Type = "Ready", Status = "True", LastHeartbeatTime = DateTimeOffset.UtcNow } },
        },
    };

    public static PodSpec PodSpec() => new()
    {
        Containers =
        {
            new Container
            {
                Name = "app", Image = "registry.local/app:1",
                Resources = new ResourceRequirements { Requests = new() { ["cpu"] = Quantity.Parse("100m"), ["memory"] = Quantity.Parse("128Mi") } },
            },
        },
    };

    public async Task CreateAsync<T>(int count, Func<int, T> make, int batch = 1000) where T : KubeObject
    {
        for (var i = 0; i < count; i += batch)
        {
            var writes = Enumerable.Range(i, Math.Min(batch, count - i)).Select(j => new StoreWrite(StoreVerb.Create, make(j))).ToList();
            await Store.CommitAsync(writes);
        }
    }

    public async Task StartAsync(Action<GitOrchControllerOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
        services.AddSingleton<IObjectStore>(Store);
        services.AddGitOrchControllers(o =>
        {
            // Hollow nodes never heartbeat: the node lifecycle controller would (rightly) taint them all.
            o.EnableNodeLifecycle = false;
            configure?.Invoke(o);
        });
        _services = services.BuildServiceProvider();
        _hosted = _services.GetServices<IHostedService>().ToList();
        foreach (var h in _hosted)
        {
            await h.StartAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_hosted != null)
        {
            for (var i = _hosted.Count - 1; i >= 0; i--)
            {
                await _hosted[i].StopAsync(CancellationToken.None);
            }

            await _services!.DisposeAsync();
        }

        Store.Dispose();
        try
        {
            Directory.Delete(_dir, true);
        }
        catch (IOException)
        {
        }
    }
}
