using GitOrch.Api.Model;
using GitOrch.Api.Selectors;
using GitOrch.Engine.Http;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Metrics;

/// <summary>
/// <c>metrics.k8s.io/v1beta1</c> nodes and pods (get, list with labelSelector), from the <see cref="UsageCache"/>,
/// so <c>kubectl top nodes|pods</c> and the module's Get-NodeMetric/Get-PodMetric work. Explicit routes, so they win
/// over the store-backed catch-all; discovery lists them from <see cref="ResourceKinds.ReadOnly"/>.
/// </summary>
public static class MetricsApiEndpoints
{
    private const string Root = "/apis/metrics.k8s.io/v1beta1";

    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(Root + "/nodes", (HttpContext c) => ListNodes(c));
        app.MapGet(Root + "/nodes/{name}", (HttpContext c, string name) => GetNode(c, name));
        app.MapGet(Root + "/pods", (HttpContext c) => ListPods(c, null));
        app.MapGet(Root + "/namespaces/{ns}/pods", (HttpContext c, string ns) => ListPods(c, ns));
        app.MapGet(Root + "/namespaces/{ns}/pods/{name}", (HttpContext c, string ns, string name) => GetPod(c, ns, name));
        return app;
    }

    private static Task ListNodes(HttpContext c)
    {
        var (cache, store, selector) = Parts(c);
        var items = cache.Nodes.OrderBy(n => n.NodeName, StringComparer.Ordinal)
            .Select(n => MetricsViews.ToNodeMetrics(n, store.Get<Node>(null, n.NodeName)))
            .Where(m => selector.Matches(m.Metadata.Labels))
            .ToList();
        return Write(c, new KubeList<NodeMetrics> { ApiVersion = MetricsViews.ApiVersion, Kind = "NodeMetricsList", Items = items });
    }

    private static Task GetNode(HttpContext c, string name)
    {
        var (cache, store, _) = Parts(c);
        var usage = cache.Node(name) ?? throw ApiException.NotFound($"nodemetrics.metrics.k8s.io \"{name}\" not found");
        return ApiResponses.WriteObjectAsync(c, 200, MetricsViews.ToNodeMetrics(usage, store.Get<Node>(null, name)));
    }

    private static Task ListPods(HttpContext c, string? ns)
    {
        var (cache, store, selector) = Parts(c);
        var items = cache.Pods(ns).OrderBy(p => p.Namespace, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => MetricsViews.ToPodMetrics(p, store.Get<Pod>(p.Namespace, p.Name)))
            .Where(m => selector.Matches(m.Metadata.Labels))
            .ToList();
        return Write(c, new KubeList<PodMetrics> { ApiVersion = MetricsViews.ApiVersion, Kind = "PodMetricsList", Items = items });
    }

    private static Task GetPod(HttpContext c, string ns, string name)
    {
        var (cache, store, _) = Parts(c);
        var usage = cache.Pod(ns, name) ?? throw ApiException.NotFound($"podmetrics.metrics.k8s.io \"{name}\" not found");
        return ApiResponses.WriteObjectAsync(c, 200, MetricsViews.ToPodMetrics(usage, store.Get<Pod>(ns, name)));
    }

    private static (UsageCache Cache, IObjectStore Store, Selector Selector) Parts(HttpContext c)
    {
        Selector selector;
        try
        {
            selector = Selector.Parse(c.Request.Query["labelSelector"].ToString());
        }
        catch (FormatException e)
        {
            throw ApiException.BadRequest(e.Message);
        }

        return (c.RequestServices.GetService<UsageCache>() ?? throw new ApiException(503, "ServiceUnavailable", "the metrics API is not running: the Engine was started without its components"), c.RequestServices.GetRequiredService<IObjectStore>(), selector);
    }

    private static Task Write<T>(HttpContext c, KubeList<T> list) where T : KubeObject
        => ApiResponses.WriteObjectAsync(c, 200, list, typeof(KubeList<T>));
}
