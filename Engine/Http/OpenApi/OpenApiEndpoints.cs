using Microsoft.Net.Http.Headers;

namespace GitOrch.Engine.Http.OpenApi;

/// <summary>
/// Serves the OpenAPI documents (<see cref="OpenApiDocuments"/>) as JSON, with ETag / If-None-Match. A client asking
/// only for the protobuf encoding of <c>/openapi/v2</c> gets 406 Not Acceptable (GitOrch serves JSON only), which
/// client-go treats like a server without that document.
/// </summary>
internal static class OpenApiEndpoints
{
    private const string ProtobufV2 = "application/com.github.proto-openapi.spec.v2";

    public static IEndpointRouteBuilder MapOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/openapi/v2", (HttpContext c) => AcceptsOnlyProtobuf(c.Request)
            ? throw new ApiException(406, "NotAcceptable", "only application/json is served for /openapi/v2")
            : Serve(c, OpenApiDocuments.V2));
        app.MapGet("/openapi/v3", (HttpContext c) => Serve(c, OpenApiDocuments.V3Index));
        app.MapGet("/openapi/v3/{**path}", (HttpContext c, string path) => Serve(c, OpenApiDocuments.V3(path.Trim('/'))
            ?? throw ApiException.NotFound($"the server could not find the requested resource (/openapi/v3/{path})")));
        return app;
    }

    private static Task Serve(HttpContext context, OpenApiDocuments.Document doc)
    {
        var response = context.Response;
        response.Headers.ETag = doc.ETag;
        response.Headers.Vary = HeaderNames.Accept;
        if (context.Request.Headers.IfNoneMatch.Contains(doc.ETag))
        {
            response.StatusCode = 304;
            return Task.CompletedTask;
        }

        return ApiResponses.WriteJsonAsync(context, 200, doc.Json);
    }

    /// <summary>True when the Accept header names protobuf and neither JSON nor a wildcard.</summary>
    private static bool AcceptsOnlyProtobuf(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        if (!accept.Contains(ProtobufV2, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return !accept.Contains("application/json", StringComparison.OrdinalIgnoreCase) && !accept.Contains("*/*", StringComparison.Ordinal);
    }
}
