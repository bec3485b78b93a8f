using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Http;
using k8s;
using k8s.Models;
using Xunit;

namespace GitOrch.Tests.Engine.Http;

/// <summary>The official KubernetesClient NuGet package, unmodified, works against the Engine.</summary>
public sealed class KubernetesClientTests : IAsyncLifetime
{
    private TestEngine _engine = null!;
    private Kubernetes _kube = null!;

    public async Task InitializeAsync()
    {
        _engine = await TestEngine.StartAsync();
        _kube = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(_engine.KubeconfigPath));
    }

    public async Task DisposeAsync()
    {
        _kube.Dispose();
        await _engine.DisposeAsync();
    }

    [Fact]
    public async Task Lists_pods()
    {
        await _engine.Client.CreateAsync(Objects.Pod("web-1", labels: new() { ["app"] = "web" }));
        await _engine.Client.CreateAsync(Objects.Pod("db-1", labels: new() { ["app"] = "db" }));

        var all = await _kube.CoreV1.ListNamespacedPodAsync("default");
        Assert.Equal(["db-1", "web-1"], all.Items.Select(p => p.Metadata.Name).Order(StringComparer.Ordinal));
        Assert.Equal("gitorch-test/busybox:latest", all.Items[0].Spec.Containers[0].Image);

        var web = await _kube.CoreV1.ListPodForAllNamespacesAsync(labelSelector: "app=web");
        Assert.Equal("web-1", Assert.Single(web.Items).Metadata.Name);
    }

    [Fact]
    public async Task Creates_and_reads_a_configmap()
    {
        var created = await _kube.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "settings" }, Data = new Dictionary<string, string> { ["mode"] = "fast" } },
            "default");
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.Equal("fast", _engine.Store.Get<GitOrch.Api.Model.ConfigMap>("default", "settings")!.Data!["mode"]);

        var read = await _kube.CoreV1.ReadNamespacedConfigMapAsync("settings", "default");
        Assert.Equal(created.Metadata.ResourceVersion, read.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Errors_surface_as_kubernetes_status()
    {
        var e = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => _kube.CoreV1.ReadNamespacedConfigMapAsync("missing", "default"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, e.Response.StatusCode);
        Assert.Contains("\"reason\":\"NotFound\"", e.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Receives_watch_events()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var list = await _kube.CoreV1.ListNamespacedConfigMapAsync("default", cancellationToken: cts.Token);
        var seen = new List<(WatchEventType, string)>();
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, cm) in _kube.CoreV1.WatchListNamespacedConfigMapAsync("default", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cts.Token))
            {
                seen.Add((type, cm.Metadata.Name));
                if (type == WatchEventType.Deleted)
                {
                    return;
                }
            }
        }, cts.Token);

        await _kube.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "watched" } }, "default", cancellationToken: cts.Token);
        await _kube.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"a":"b"}}""", V1Patch.PatchType.MergePatch), "watched", "default", cancellationToken: cts.Token);
        await _kube.CoreV1.DeleteNamespacedConfigMapAsync("watched", "default", cancellationToken: cts.Token);
        await watching;

        Assert.Equal([(WatchEventType.Added, "watched"), (WatchEventType.Modified, "watched"), (WatchEventType.Deleted, "watched")], seen);
    }
}
