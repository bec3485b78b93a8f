using System.Text;
using GitOrch.Api.Model;
using GitOrch.Engine.Http;

namespace GitOrch.Engine.Security;

/// <summary>
/// Bearer-token authentication and authorization for every request, including routes other features add.
/// Skipped for health probes and <c>/version</c> (anonymous in Kubernetes too), for <c>/cacerts</c> (the public CA, as in k3s) and for <c>/hooks/</c>, whose
/// webhooks authenticate by HMAC signature instead.
/// </summary>
internal sealed class AuthMiddleware(RequestDelegate next, ApiTokens tokens)
{
    public const string RoleKey = "gitorch.role";

    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (IsAnonymous(path))
        {
            return next(context);
        }

        var role = Authenticate(context.Request.Headers.Authorization.ToString());
        if (role == null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return ApiResponses.WriteStatusAsync(context, new Status { Code = 401, Reason = "Unauthorized", Message = "Unauthorized" });
        }

        if (!Authorizer.IsAllowedPath(role.Value, path.Value ?? ""))
        {
            return ApiResponses.WriteStatusAsync(context, new Status { Code = 403, Reason = "Forbidden", Message = $"User \"gitorch:metrics\" may only read /metrics, not {path}" });
        }

        var info = RequestInfo.Parse(context.Request.Method, path, context.Request.Query);
        context.Items[RoleKey] = role.Value;
        context.Items[RequestInfo.ItemKey] = info;
        if (!Authorizer.IsAllowed(role.Value, info))
        {
            return ApiResponses.WriteStatusAsync(context, new Status
            {
                Code = 403,
                Reason = "Forbidden",
                Message = Authorizer.DenialMessage(role.Value, info!),
                Details = new StatusDetails { Name = info!.Name, Group = info.Group, Kind = info.Plural },
            });
        }

        return next(context);
    }

    public static bool IsAnonymous(PathString path)
        => path.StartsWithSegments("/hooks") || path == "/healthz" || path == "/readyz" || path == "/livez" || path == "/version"
            || path == Api.Client.Tls.CaBootstrap.Path;

    private ApiRole? Authenticate(string header)
    {
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var presented = header.AsSpan(scheme.Length).Trim();
        Span<byte> buffer = stackalloc byte[256];
        if (presented.Length == 0 || Encoding.UTF8.GetMaxByteCount(presented.Length) > buffer.Length)
        {
            return null;
        }

        var n = Encoding.UTF8.GetBytes(presented, buffer);
        return tokens.Authenticate(buffer[..n]);
    }
}
