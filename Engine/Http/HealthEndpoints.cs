using System.Reflection;

namespace GitOrch.Engine.Http;

/// <summary><c>/healthz</c>, <c>/livez</c>, <c>/readyz</c> (plain "ok", as kube-apiserver answers) and <c>/version</c>. Anonymous.</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/livez", () => Results.Text("ok"));
        app.MapGet("/readyz", (IHostApplicationLifetime lifetime) => lifetime.ApplicationStopping.IsCancellationRequested
            ? Results.Text("shutting down", statusCode: 503)
            : Results.Text("ok"));
        app.MapGet("/version", (HttpContext c) =>
        {
            var version = typeof(HealthEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            var doc = new
            {
                major = "1",
                minor = "31",
                gitVersion = "v1.31.0-gitorch." + version.Split('+')[0],
                gitCommit = "",
                gitTreeState = "clean",
                buildDate = "",
                goVersion = "",
                compiler = "dotnet",
                platform = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier,
            };
            return ApiResponses.WriteObjectAsync(c, 200, doc, doc.GetType());
        });
        return app;
    }
}
