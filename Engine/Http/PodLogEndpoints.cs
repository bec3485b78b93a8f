using System.Net;
using GitOrch.Api.Model;
using GitOrch.Engine.Security;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Http;

/// <summary>
/// <c>GET /api/v1/namespaces/{ns}/pods/{name}/log</c> (container, follow, tailLines, previous, timestamps): proxied
/// to the agent of the Pod's node, at the Node's InternalIP and <c>daemonEndpoints.kubeletEndpoint.port</c>, with
/// the agent token as credential. The body streams through unbuffered, so <c>follow=true</c> works.
/// </summary>
public static class PodLogEndpoints
{
    private static readonly string[] ForwardedQuery = ["follow", "tailLines", "previous", "timestamps"];

    // One pooled client for every proxied request; logs of a follow can stay open for hours.
    private static readonly HttpClient Agents = new(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(5) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public static IEndpointRouteBuilder MapPodLogs(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/namespaces/{ns}/pods/{name}/log", HandleAsync);
        return app;
    }

    private static async Task HandleAsync(HttpContext context, string ns, string name)
    {
        var store = context.RequestServices.GetRequiredService<IObjectStore>();
        var tokens = context.RequestServices.GetRequiredService<ApiTokens>();
        var pod = store.Get<Pod>(ns, name);
        if (pod == null)
        {
            await FailAsync(context, 404, "NotFound", $"pods \"{name}\" not found");
            return;
        }

        var nodeName = pod.Spec?.NodeName;
        if (string.IsNullOrEmpty(nodeName))
        {
            await FailAsync(context, 400, "BadRequest", $"pod {name} does not have a host assigned");
            return;
        }

        var container = context.Request.Query["container"].ToString();
        var names = (pod.Spec?.Containers ?? []).Select(c => c.Name).ToList();
        var all = names.Concat((pod.Spec?.InitContainers ?? []).Select(c => c.Name)).ToList();
        if (string.IsNullOrEmpty(container))
        {
            if (names.Count != 1)
            {
                await FailAsync(context, 400, "BadRequest", $"a container name must be specified for pod {name}, choose one of: [{string.Join(" ", names)}]");
                return;
            }

            container = names[0];
        }
        else if (!all.Contains(container))
        {
            await FailAsync(context, 400, "BadRequest", $"container {container} is not valid for pod {name}");
            return;
        }

        var node = store.Get<Node>(null, nodeName);
        var address = node?.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address;
        var port = node?.Status?.DaemonEndpoints?.KubeletEndpoint?.Port ?? 0;
        if (address == null || port == 0)
        {
            await FailAsync(context, 503, "ServiceUnavailable", $"node {nodeName} has not published its agent endpoint");
            return;
        }

        var query = string.Join("&", ForwardedQuery
            .Where(k => context.Request.Query.ContainsKey(k))
            .Select(k => k + "=" + Uri.EscapeDataString(context.Request.Query[k].ToString())));
        var host = IPAddress.TryParse(address, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address;
        var url = $"http://{host}:{port}/containerLogs/{Uri.EscapeDataString(ns)}/{Uri.EscapeDataString(name)}/{Uri.EscapeDataString(container)}" + (query.Length > 0 ? "?" + query : "");
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens.Agent);
        HttpResponseMessage response;
        try
        {
            response = await Agents.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        }
        catch (HttpRequestException e)
        {
            await FailAsync(context, 503, "ServiceUnavailable", $"agent of node {nodeName} unreachable: {e.Message}");
            return;
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var text = await response.Content.ReadAsStringAsync(context.RequestAborted);
                var code = (int)response.StatusCode;
                await FailAsync(context, code, code switch { 400 => "BadRequest", 404 => "NotFound", 401 or 403 => "InternalError", _ => "InternalError" }, text);
                return;
            }

            context.Response.StatusCode = 200;
            context.Response.ContentType = "text/plain";
            await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
            var buffer = new byte[16 * 1024];
            try
            {
                int read;
                while ((read = await body.ReadAsync(buffer, context.RequestAborted)) > 0)
                {
                    await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client ended a follow.
            }
        }
    }

    private static Task FailAsync(HttpContext context, int code, string reason, string message)
        => ApiResponses.WriteStatusAsync(context, new Status { Code = code, Reason = reason, Message = message });
}
