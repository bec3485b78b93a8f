using GitOrch.Agent.Metrics;

namespace GitOrch.Engine.Metrics;

/// <summary>
/// <c>GET /metrics</c>: the Engine's meters (API, store, controllers, scheduler, sources, autoscaler) in Prometheus
/// text format. Behind the API's authentication: the admin token or the read-only <c>metrics.token</c>.
/// </summary>
public static class PrometheusEndpoints
{
    public static IEndpointRouteBuilder MapPrometheusMetrics(this IEndpointRouteBuilder app)
    {
        _ = PrometheusExport.Shared;
        app.MapGet("/metrics", async (HttpContext c) =>
        {
            c.Response.StatusCode = 200;
            c.Response.ContentType = PrometheusExport.ContentType;
            await PrometheusExport.Shared.WriteAsync(c.Response.Body, c.RequestAborted);
        });
        return app;
    }
}
