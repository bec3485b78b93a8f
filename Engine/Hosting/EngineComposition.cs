using GitOrch.Engine.Controllers;
using GitOrch.Engine.Controllers.Autoscaling;
using GitOrch.Engine.Controllers.Endpoints;
using GitOrch.Engine.Http;
using GitOrch.Engine.Metrics;
using GitOrch.Engine.Security.Tls;
using GitOrch.Engine.Sources;
using GitOrch.Engine.Sources.Http;

namespace GitOrch.Engine.Hosting;

/// <summary>
/// Where features plug into the Engine: each adds ONE line for its components (hosted services) and, if it serves
/// HTTP, ONE line for its routes. Everything here talks to the store (<c>IObjectStore</c>, a singleton).
/// </summary>
internal static class EngineComposition
{
    /// <summary>Controllers, scheduler, source controller: <c>services.AddHostedService&lt;X&gt;();</c></summary>
    public static void AddComponents(IServiceCollection services, EngineOptions options)
    {
        services.AddGitOrchControllers();
        services.AddReconciler<EndpointsReconciler>();
        services.AddGitOrchSources(options.DataDir);
        services.AddGitOrchUsageMetrics().AddGitOrchAutoscaling();
    }

    /// <summary>Feature routes (webhooks, pods/log, gitsources plan|commits|revert): <c>app.MapXxx();</c></summary>
    public static void MapFeatureRoutes(IEndpointRouteBuilder app)
    {
        app.MapPodLogs();
        app.MapGitOrchSources();
        app.MapCaCerts();
        app.MapMetricsApi();
        app.MapPrometheusMetrics();
    }
}
