using GitOrch.Api.Metrics;
using GitOrch.Api.Model;
using GitOrch.Engine.Metrics;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace GitOrch.Tests.Engine.Metrics;

/// <summary>
/// metrics.k8s.io/v1beta1 served from the usage cache: discovery, get and list with label selectors through the typed
/// client, quantities as metrics-server writes them, and samples of Pods the store does not know dropped.
/// </summary>
public sealed class MetricsApiEndpointsTests : IAsyncLifetime
{
    private TestEngine _engine = null!;

    public async Task InitializeAsync() => _engine = await TestEngine.StartAsync(configureServices: s => s.AddSingleton<UsageCache>());

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    private UsageCache Cache => _engine.Services.GetRequiredService<UsageCache>();

    private async Task<(Pod Web, Pod Db)> ReportAsync()
    {
        await _engine.Client.CreateAsync(Objects.Node("n1"));
        var web = await _engine.Client.CreateAsync(Objects.Pod("web-1", labels: new() { ["app"] = "web" }, nodeName: "n1"));
        var db = await _engine.Client.CreateAsync(Objects.Pod("db-1", labels: new() { ["app"] = "db" }, nodeName: "n1"));
        var now = DateTimeOffset.UtcNow;
        var kept = Cache.Accept("n1", new UsageSummary
        {
            Node = new NodeUsage { Timestamp = now, WindowSeconds = 1, CpuNanoCores = 1_500_000_000, MemoryWorkingSetBytes = 512 * 1024 * 1024 },
            Pods =
            [
                Usage(web, now, 250_000_000, 10 * 1024 * 1024),
                Usage(db, now, 5_000_000, 20 * 1024 * 1024),
                new PodUsage { Namespace = "default", Name = "ghost", Uid = "no-such-uid", Timestamp = now, WindowSeconds = 1 },
                new PodUsage { Namespace = "default", Name = "web-1", Uid = "an-older-web-1", Timestamp = now, WindowSeconds = 1 },
            ],
        });
        Assert.Equal(2, kept);
        return (web, db);
    }

    private static PodUsage Usage(Pod pod, DateTimeOffset at, long cpu, long memory) => new()
    {
        Namespace = pod.Namespace!,
        Name = pod.Name,
        Uid = pod.Metadata.Uid!,
        Timestamp = at,
        WindowSeconds = 1,
        Containers = [new ContainerUsage { Name = "main", CpuNanoCores = cpu, MemoryWorkingSetBytes = memory }],
    };

    [Fact]
    public async Task Pod_metrics_list_filters_by_label_and_writes_nanocores_and_Ki()
    {
        await ReportAsync();
        var list = await _engine.Client.ListAsync<PodMetrics>("default", labelSelector: "app=web");
        var web = Assert.Single(list.Items);
        Assert.Equal("web-1", web.Name);
        Assert.Equal("1s", web.Window);
        Assert.Equal("250000000n", web.Containers[0].Usage["cpu"].ToString());
        Assert.Equal("10240Ki", web.Containers[0].Usage["memory"].ToString());
        Assert.Equal(0.25m, web.Containers[0].Usage["cpu"].Value);

        var all = await _engine.Client.ListAsync<PodMetrics>();
        Assert.Equal(["db-1", "web-1"], all.Items.Select(p => p.Name).ToArray());
        var one = await _engine.Client.GetAsync<PodMetrics>("default", "db-1");
        Assert.Equal("5000000n", one.Containers[0].Usage["cpu"].ToString());
    }

    [Fact]
    public async Task Node_metrics_get_and_list()
    {
        await ReportAsync();
        var node = await _engine.Client.GetAsync<NodeMetrics>(null, "n1");
        Assert.Equal(1.5m, node.Usage["cpu"].Value);
        Assert.Equal(512m * 1024 * 1024, node.Usage["memory"].Value);
        Assert.Single((await _engine.Client.ListAsync<NodeMetrics>()).Items);
    }

    [Fact]
    public async Task Unknown_pods_and_nodes_are_404_and_a_bad_selector_400()
    {
        await ReportAsync();
        using var raw = new RawHttp(_engine, _engine.AdminToken);
        Assert.Equal(404, (await raw.SendAsync("GET", "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/ghost")).Code);
        Assert.Equal(404, (await raw.SendAsync("GET", "/apis/metrics.k8s.io/v1beta1/nodes/n2")).Code);
        Assert.Equal(400, (await raw.SendAsync("GET", "/apis/metrics.k8s.io/v1beta1/pods?labelSelector=a%20in%20(")).Code);
    }

    [Fact]
    public async Task A_pod_that_left_the_node_leaves_with_the_next_report()
    {
        var (web, _) = await ReportAsync();
        Cache.Accept("n1", new UsageSummary { Pods = [Usage(web, DateTimeOffset.UtcNow, 1, 1)] });
        Assert.Null(Cache.Pod("default", "db-1"));
        Assert.NotNull(Cache.Pod("default", "web-1"));
        Assert.True(Cache.DroppedSamples >= 2);
    }

    [Fact]
    public async Task Discovery_lists_metrics_and_autoscaling_groups()
    {
        using var raw = new RawHttp(_engine, _engine.AdminToken);
        var (code, groups) = await raw.SendAsync("GET", "/apis");
        Assert.Equal(200, code);
        Assert.Contains("\"name\":\"metrics.k8s.io\"", groups, StringComparison.Ordinal);
        Assert.Contains("\"groupVersion\":\"autoscaling/v2\"", groups, StringComparison.Ordinal);
        var (_, resources) = await raw.SendAsync("GET", "/apis/metrics.k8s.io/v1beta1");
        Assert.Contains("\"kind\":\"PodMetrics\"", resources, StringComparison.Ordinal);
        Assert.Contains("\"verbs\":[\"get\",\"list\"]", resources, StringComparison.Ordinal);
        var (_, autoscaling) = await raw.SendAsync("GET", "/apis/autoscaling/v2");
        Assert.Contains("\"name\":\"horizontalpodautoscalers\"", autoscaling, StringComparison.Ordinal);
    }
}
