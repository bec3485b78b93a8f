using GitOrch.Engine.Http.Authorization;
using GitOrch.Engine.Http.OpenApi;
using GitOrch.Engine.Security;

namespace GitOrch.Engine.Http;

/// <summary>
/// The core HTTP API: middleware (errors as Status, bearer auth) and routes (health, discovery, every kind of
/// <c>ResourceKinds</c>). Features map their own routes next to it (see <c>Hosting/EngineComposition</c>); explicit
/// routes such as <c>/apis/gitorch.io/v1/namespaces/{ns}/gitsources/{name}/plan</c> take precedence over the
/// catch-all resource routes, and the auth middleware covers them too.
/// </summary>
public static class EngineEndpoints
{
    /// <summary>Errors-as-Status and authentication/authorization. Call before routing.</summary>
    public static IApplicationBuilder UseEngineApi(this IApplicationBuilder app)
    {
        app.UseMiddleware<ApiRequestMetrics>();
        app.UseMiddleware<ErrorMiddleware>();
        app.UseMiddleware<AuthMiddleware>();
        return app;
    }

    public static IEndpointRouteBuilder MapEngineApi(this IEndpointRouteBuilder app)
    {
        app.MapHealth();
        app.MapDiscovery();
        app.MapOpenApi();
        app.MapAccessReviews();
        app.Map("/api/{version}/{**path}", ResourceHandler.HandleAsync);
        app.Map("/apis/{group}/{version}/{**path}", ResourceHandler.HandleAsync);
        return app;
    }
}
