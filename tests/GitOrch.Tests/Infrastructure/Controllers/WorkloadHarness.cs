using GitOrch.Api.Model;
using GitOrch.Engine.Runtime;
using GitOrch.Engine.Store;
using GitOrch.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GitOrch.Tests.Infrastructure.Controllers;

/// <summary>
/// A real ObjectStore in a temp dir, shared informers over it, a hand-driven clock, and helpers that play the agent
/// (Pod phases, readiness, exits) and the cluster admin (Nodes joining, leaving, tainted). Reconcilers are called
/// directly once every informer has caught up with the store, so each step of a test is deterministic.
/// </summary>
public sealed class WorkloadHarness : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("gitorch-workloads");

    public WorkloadHarness()
    {
        Clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero));
        Store = ObjectStore.Open(_dir.Path, Clock);
        Informers = new SharedInformers(Store, NullLoggerFactory.Instance);
        foreach (var _ in new object[] { Informers.Get<Pod>(), Informers.Get<Node>(), Informers.Get<Job>(), Informers.Get<CronJob>(), Informers.Get<StatefulSet>(), Informers.Get<DaemonSet>() })
        {
        }
    }

    public FakeTimeProvider Clock { get; }

    public ObjectStore Store { get; }

    public SharedInformers Informers { get; }

    public RecordingEvents Events { get; } = new();

    public ControllerOptions ControllerOptions { get; } = new();

    public async Task StartAsync()
    {
        await Informers.StartAsync(CancellationToken.None);
        foreach (var i in Informers.All)
        {
            await i.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>Waits until every informer cache holds exactly what the store holds (an informer only moves on changes of its own kind).</summary>
    public async Task SyncAsync()
    {
        await SyncAsync<Pod>();
        await SyncAsync<Node>();
        await SyncAsync<Job>();
        await SyncAsync<CronJob>();
        await SyncAsync<StatefulSet>();
        await SyncAsync<DaemonSet>();
    }

    private async Task SyncAsync<T>() where T : KubeObject
    {
        var informer = Informers.Get<T>();
        static string Snapshot(IEnumerable<KubeObject> items)
            => string.Join(",", items.Select(o => $"{o.Metadata.Namespace}/{o.Metadata.Name}@{o.Metadata.ResourceVersion}").OrderBy(s => s, StringComparer.Ordinal));
        await Eventually.True(() => Snapshot(informer.List()) == Snapshot(Store.List<T>()), TimeSpan.FromSeconds(10), $"{typeof(T).Name} informer to catch up");
    }

    public async Task<ReconcileResult> ReconcileAsync(IReconciler reconciler, KubeObject obj)
    {
        await SyncAsync();
        return await reconciler.ReconcileAsync(ObjectKey.Of(obj), CancellationToken.None);
    }

    public T Get<T>(KubeObject obj) where T : KubeObject
        => Store.Get<T>(obj.Metadata.Namespace, obj.Metadata.Name!) ?? throw new InvalidOperationException($"{obj.Metadata.Name} is gone");

    /// <summary>Pods controlled by <paramref name="owner"/> (from the store, not a cache), oldest first.</summary>
    public IReadOnlyList<Pod> PodsOf(KubeObject owner, bool includeDeleting = false)
    {
        var uid = Store.Get(ResourceKinds.Of(owner), owner.Metadata.Namespace, owner.Metadata.Name!)?.Metadata.Uid ?? owner.Metadata.Uid;
        return Store.List<Pod>(owner.Metadata.Namespace)
            .Where(p => p.Metadata.OwnerReferences?.Any(r => r.Controller == true && r.Uid == uid) == true)
            .Where(p => includeDeleting || p.Metadata.DeletionTimestamp == null)
            .OrderBy(p => p.Metadata.CreationTimestamp).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal)
            .ToList();
    }

    public Task<Node> AddNodeAsync(string name, Dictionary<string, string>? labels = null, List<Taint>? taints = null)
        => Store.CreateAsync(new Node
        {
            Metadata = new ObjectMeta { Name = name, Labels = labels },
            Spec = new NodeSpec { Taints = taints },
            Status = new NodeStatus
            {
                Capacity = new() { ["cpu"] = Quantity.Parse("4"), ["memory"] = Quantity.Parse("8Gi"), ["pods"] = Quantity.Parse("110") },
                Conditions = new() { new Condition { Type = "Ready", Status = ConditionStatus.True, LastTransitionTime = Clock.GetUtcNow() } },
            },
        });

    public async Task TaintNodeAsync(string name, params Taint[] taints)
    {
        var node = Store.Get<Node>(null, name)!;
        (node.Spec ??= new NodeSpec()).Taints = taints.ToList();
        await Store.UpdateAsync(node);
    }

    public Task DeleteNodeAsync(string name) => Store.DeleteAsync(ResourceKinds.Node, null, name);

    /// <summary>What the agent writes while the containers run: phase Running and Ready (or not).</summary>
    public Task RunAsync(Pod pod, bool ready = true, int restarts = 0)
        => SetStatusAsync(pod, new PodStatus
        {
            Phase = "Running",
            StartTime = Clock.GetUtcNow(),
            Conditions = new() { new Condition { Type = "Ready", Status = ready ? ConditionStatus.True : ConditionStatus.False, LastTransitionTime = Clock.GetUtcNow() } },
            ContainerStatuses = new() { new ContainerStatus { Name = "main", Ready = ready, RestartCount = restarts, State = new ContainerState { Running = new ContainerStateRunning { StartedAt = Clock.GetUtcNow() } } } },
        });

    /// <summary>What the agent writes when a restartPolicy Never Pod's container exits.</summary>
    public Task ExitAsync(Pod pod, int exitCode)
        => SetStatusAsync(pod, new PodStatus
        {
            Phase = exitCode == 0 ? "Succeeded" : "Failed",
            Conditions = new() { new Condition { Type = "Ready", Status = ConditionStatus.False, LastTransitionTime = Clock.GetUtcNow() } },
            ContainerStatuses = new()
            {
                new ContainerStatus
                {
                    Name = "main",
                    State = new ContainerState { Terminated = new ContainerStateTerminated { ExitCode = exitCode, Reason = exitCode == 0 ? "Completed" : "Error", FinishedAt = Clock.GetUtcNow() } },
                },
            },
        });

    public async Task SetStatusAsync(Pod pod, PodStatus status)
    {
        var current = Store.Get<Pod>(pod.Metadata.Namespace, pod.Metadata.Name!)!;
        current.Status = status;
        await Store.UpdateStatusAsync(current);
    }

    /// <summary>What the scheduler does: spec.nodeName through an update.</summary>
    public async Task BindAsync(Pod pod, string node)
    {
        var current = Store.Get<Pod>(pod.Metadata.Namespace, pod.Metadata.Name!)!;
        current.Spec!.NodeName = node;
        await Store.UpdateAsync(current);
    }

    /// <summary>What the agent does once a deleted Pod's containers are gone: nothing is left of it.</summary>
    public async Task FinishDeletionsAsync()
    {
        foreach (var p in Store.List<Pod>().Where(p => p.Metadata.DeletionTimestamp != null))
        {
            p.Metadata.Finalizers = null;
            await Store.UpdateAsync(p);
        }
    }

    public static PodTemplateSpec Template(Dictionary<string, string> labels, string? restartPolicy = null) => new()
    {
        Metadata = new ObjectMeta { Labels = labels },
        Spec = new PodSpec
        {
            RestartPolicy = restartPolicy,
            Containers = new() { new Container { Name = "main", Image = "gitorch-test/busybox:latest", Command = new() { "sh", "-c", "true" } } },
        },
    };

    public async ValueTask DisposeAsync()
    {
        await Informers.DisposeAsync();
        Store.Dispose();
        _dir.Dispose();
    }
}
