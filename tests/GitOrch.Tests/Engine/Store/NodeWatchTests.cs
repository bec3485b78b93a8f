using GitOrch.Api.Model;
using GitOrch.Engine.Store;
using GitOrch.Tests.Infrastructure;
using Xunit;

namespace GitOrch.Tests.Engine.Store;

/// <summary>A watch routed by node sees that node's Pods (and Pods leaving it), and no other Pod's changes.</summary>
public sealed class NodeWatchTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ObjectStore _store;

    public NodeWatchTests() => _store = ObjectStore.Open(_dir.Path);

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    private static Pod Pod(string name, string? node) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "default" },
        Spec = new PodSpec { NodeName = node, Containers = { new Container { Name = "main", Image = "busybox" } } },
    };

    private static async Task<List<(WatchEventType Type, string Name)>> DrainAsync(IStoreWatch watch)
    {
        var seen = new List<(WatchEventType, string)>();
        using var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        try
        {
            while (true)
            {
                var e = await watch.Events.ReadAsync(quiet.Token);
                seen.Add((e.Type, e.Object.Name));
            }
        }
        catch (OperationCanceledException)
        {
        }

        return seen;
    }

    [Fact]
    public async Task Only_the_nodes_own_pods_are_offered_including_the_one_leaving_it()
    {
        using var watch = _store.Watch(ResourceKinds.Pod, null, 0, "a");
        await _store.CreateAsync(Pod("on-a", "a"));
        await _store.CreateAsync(Pod("on-b", "b"));
        var unbound = await _store.CreateAsync(Pod("unbound", null));
        unbound.Spec!.NodeName = "a";
        var bound = await _store.UpdateAsync(unbound);
        bound.Spec!.NodeName = "b";
        await _store.UpdateAsync(bound);
        await _store.DeleteAsync(ResourceKinds.Pod, "default", "on-a");
        await _store.DeleteAsync(ResourceKinds.Pod, "default", "on-b");

        var seen = await DrainAsync(watch);

        Assert.Equal(
            new[] { (WatchEventType.Added, "on-a"), (WatchEventType.Modified, "unbound"), (WatchEventType.Modified, "unbound"), (WatchEventType.Deleted, "on-a") },
            seen);
    }

    [Fact]
    public async Task A_resumed_node_watch_replays_only_that_nodes_pods()
    {
        var from = _store.Revision;
        await _store.CreateAsync(Pod("on-b", "b"));
        await _store.CreateAsync(Pod("on-a", "a"));

        using var watch = _store.Watch(ResourceKinds.Pod, null, from, "a");
        var seen = await DrainAsync(watch);

        Assert.Equal(new[] { (WatchEventType.Added, "on-a") }, seen);
    }
}
