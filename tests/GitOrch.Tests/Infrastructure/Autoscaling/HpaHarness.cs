using GitOrch.Api.Metrics;
using GitOrch.Api.Model;
using GitOrch.Engine.Controllers.Autoscaling;
using GitOrch.Engine.Metrics;
using GitOrch.Engine.Runtime;
using GitOrch.Engine.Store;
using GitOrch.Tests.Infrastructure.Controllers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GitOrch.Tests.Infrastructure.Autoscaling;

/// <summary>
/// A real store and informers with the HPA reconciler on a clock the test drives; the test plays agent and scraper
/// (Pods marked Running/Ready, usage put into the cache) and calls ReconcileAsync itself, one sync at a time.
/// </summary>
public sealed class HpaHarness : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("gitorch-hpa");
    private readonly SharedInformers _informers;

    private HpaHarness()
    {
        Store = ObjectStore.Open(_dir.Path);
        _informers = new SharedInformers(Store, NullLoggerFactory.Instance);
        Usage = new UsageCache(Store);
        Reconciler = new HorizontalPodAutoscalerReconciler(Store, _informers, Usage, Events, Clock, new AutoscalingOptions());
    }

    public ObjectStore Store { get; }

    public UsageCache Usage { get; }

    public RecordingEvents Events { get; } = new();

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public HorizontalPodAutoscalerReconciler Reconciler { get; }

    public static async Task<HpaHarness> StartAsync()
    {
        var h = new HpaHarness();
        h.Reconciler.Watch(new ControllerWiring(_ => { }));
        await h._informers.StartAsync(CancellationToken.None);
        return h;
    }

    /// <summary>Creates Running, Ready Pods (started 10 minutes "ago") matching app=<paramref name="app"/>, bound to node n1.</summary>
    public async Task<List<Pod>> RunPodsAsync(string app, int count, string? cpuRequest = "100m")
    {
        var pods = new List<Pod>();
        for (var i = 0; i < count; i++)
        {
            var pod = HpaPods.Ready($"{app}-{i}", cpuRequest ?? "1", labels: new() { ["app"] = app });
            if (cpuRequest == null)
            {
                pod.Spec!.Containers[0].Resources = null;
            }

            pod.Spec!.NodeName = "n1";
            var status = pod.Status;
            pod.Status = null;
            var created = await Store.CreateAsync(pod);
            created.Status = status;
            created.Status!.StartTime = Clock.GetUtcNow() - TimeSpan.FromMinutes(10);
            created.Status.Conditions![0].LastTransitionTime = Clock.GetUtcNow() - TimeSpan.FromMinutes(10);
            pods.Add(await Store.UpdateStatusAsync(created));
        }

        return pods;
    }

    /// <summary>What a scrape of node n1 would bring: each Pod using <paramref name="milliCores"/>, sampled now.</summary>
    public void Report(IEnumerable<Pod> pods, long milliCores) => Usage.Accept("n1", new UsageSummary
    {
        Node = new NodeUsage { Timestamp = Clock.GetUtcNow(), WindowSeconds = 1 },
        Pods = pods.Select(p => new PodUsage
        {
            Namespace = p.Namespace!,
            Name = p.Name,
            Uid = p.Metadata.Uid!,
            Timestamp = Clock.GetUtcNow(),
            WindowSeconds = 1,
            Containers = [new ContainerUsage { Name = "app", CpuNanoCores = milliCores * 1_000_000, MemoryWorkingSetBytes = 1 << 20 }],
        }).ToList(),
    });

    /// <summary>One HPA sync, after the informers caught up with every write so far.</summary>
    public async Task<ReconcileResult> SyncAsync(string name)
    {
        await CaughtUpAsync(_informers.Get<Pod>());
        await CaughtUpAsync(_informers.Get<HorizontalPodAutoscaler>());
        await CaughtUpAsync(_informers.Get<Deployment>());
        await CaughtUpAsync(_informers.Get<ReplicaSet>());
        await CaughtUpAsync(_informers.Get<StatefulSet>());

        return await Reconciler.ReconcileAsync(new ObjectKey("default", name), CancellationToken.None);
    }

    // An informer follows its own kind's changes: wait for the newest revision of that kind in the store.
    private async Task CaughtUpAsync<T>(Informer<T> informer) where T : KubeObject
    {
        var items = Store.ListPage(informer.Kind, null, null, null, 0, null).Items;
        if (items.Count > 0)
        {
            await informer.WaitForRevisionAsync(items.Max(i => i.Revision), TimeSpan.FromSeconds(10), CancellationToken.None);
        }
    }

    public static HorizontalPodAutoscaler Hpa(string name, string targetKind, string target, int min, int max, int cpuPercent, int? downWindowSeconds = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "default" },
        Spec = new HorizontalPodAutoscalerSpec
        {
            ScaleTargetRef = new CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = targetKind, Name = target },
            MinReplicas = min,
            MaxReplicas = max,
            Metrics = [new MetricSpec { Type = "Resource", Resource = new ResourceMetricSource { Name = "cpu", Target = new MetricTarget { Type = "Utilization", AverageUtilization = cpuPercent } } }],
            Behavior = downWindowSeconds == null ? null : new HorizontalPodAutoscalerBehavior { ScaleDown = new HPAScalingRules { StabilizationWindowSeconds = downWindowSeconds } },
        },
    };

    public async ValueTask DisposeAsync()
    {
        await _informers.StopAsync(CancellationToken.None);
        await _informers.DisposeAsync();
        Store.Dispose();
        _dir.Dispose();
    }
}
