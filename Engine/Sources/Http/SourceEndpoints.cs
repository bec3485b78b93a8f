using GitOrch.Api.Model;
using GitOrch.Api.Serialization;
using GitOrch.Engine.Sources.Fetch;
using GitOrch.Engine.Sources.Webhooks;
using GitOrch.Engine.Sources.Writing;
using GitOrch.Engine.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace GitOrch.Engine.Sources.Http;

/// <summary>
/// HTTP routes of the source controller: the webhook (authenticated by its HMAC, not the API token, which
/// is why it lives under /hooks/), and the plan, commits and revert subresources of a GitSource.
/// </summary>
public static class SourceEndpoints
{
    private const int MaxWebhookBody = 1024 * 1024;
    private const string GitSources = "/apis/gitorch.io/v1/namespaces/{ns}/gitsources/{name}";

    public static IEndpointRouteBuilder MapGitOrchSources(this IEndpointRouteBuilder app)
    {
        app.MapPost("/hooks/git/{ns}/{name}", WebhookAsync);
        app.MapPost(GitSources + "/plan", PlanAsync);
        app.MapPost(GitSources + "/commits", CommitsAsync);
        app.MapPost(GitSources + "/revert", RevertAsync);
        return app;
    }

    private static async Task<IResult> WebhookAsync(string ns, string name, HttpContext http)
    {
        if (http.RequestServices.GetService<SourceReconciler>() is not { } reconciler)
        {
            return NotRunning();
        }

        var store = http.RequestServices.GetRequiredService<IObjectStore>();
        using var buffer = new MemoryStream();
        var read = new byte[16 * 1024];
        int n;
        while ((n = await http.Request.Body.ReadAsync(read, http.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > MaxWebhookBody)
            {
                return Failure(413, "RequestEntityTooLarge", "webhook body is larger than 1 MiB");
            }

            buffer.Write(read, 0, n);
        }

        // Same answer whether the source is missing, has no webhook secret, or the signature is wrong:
        // an unauthenticated caller learns nothing about which sources exist.
        var source = store.Get<GitSource>(ns, name);
        var secret = source?.Spec == null ? null : SourceCredentials.WebhookSecret(store, ns, source.Spec);
        var body = buffer.ToArray();
        string? Header(string h) => http.Request.Headers.TryGetValue(h, out var v) ? v.ToString() : null;
        if (secret == null || !WebhookVerifier.Verify(Header, body, secret))
        {
            return Failure(401, "Unauthorized", "webhook signature does not match");
        }

        // A closed or reopened pull request changes which previews run (if the source has them); any other event only
        // asks for a reconcile.
        if (source!.Spec!.Previews?.Enabled == true && PullRequestEvent.TryParse(Header, body, out var pr))
        {
            reconciler.Previews.RecordPullRequest(ns, name, pr.Number, pr.Open);
        }

        if (!reconciler.Trigger(ns, name))
        {
            return NotRunning();
        }

        return Results.Json(new Status { Outcome = "Success", Code = 202, Message = $"reconcile of {ns}/{name} queued" }, KubeJson.Options, statusCode: 202);
    }

    private static async Task<IResult> PlanAsync(string ns, string name, HttpContext http)
    {
        if (http.RequestServices.GetService<SourceReconciler>() is not { } reconciler)
        {
            return NotRunning();
        }

        var request = await ReadAsync<PlanRequest>(http).ConfigureAwait(false) ?? new PlanRequest();
        var reference = request.Ref ?? http.Request.Query["ref"].ToString();
        return await RunAsync(async () => Results.Json(await reconciler.PlanAsync(ns, name, string.IsNullOrEmpty(reference) ? null : reference, http.RequestAborted).ConfigureAwait(false), KubeJson.Options)).ConfigureAwait(false);
    }

    private static async Task<IResult> CommitsAsync(string ns, string name, HttpContext http)
    {
        if (http.RequestServices.GetService<GitWriter>() is not { } writer)
        {
            return NotRunning();
        }

        var request = await ReadAsync<GitChangeRequest>(http).ConfigureAwait(false);
        if (request == null)
        {
            return Failure(400, "BadRequest", "body must be {\"files\": {path: content}, \"message\": ...}");
        }

        return await RunAsync(async () => Results.Json(await writer.CommitAsync(ns, name, request, http.RequestAborted).ConfigureAwait(false), KubeJson.Options, statusCode: 201)).ConfigureAwait(false);
    }

    private static async Task<IResult> RevertAsync(string ns, string name, HttpContext http)
    {
        if (http.RequestServices.GetService<GitWriter>() is not { } writer)
        {
            return NotRunning();
        }

        var request = await ReadAsync<GitRevertRequest>(http).ConfigureAwait(false);
        if (request == null)
        {
            return Failure(400, "BadRequest", "body must be {\"commit\": sha, \"branch\": optional}");
        }

        return await RunAsync(async () => Results.Json(await writer.RevertAsync(ns, name, request, http.RequestAborted).ConfigureAwait(false), KubeJson.Options, statusCode: 201)).ConfigureAwait(false);
    }

    /// <summary>Maps failures to Status objects: Git errors keep their (already scrubbed) message.</summary>
    private static async Task<IResult> RunAsync(Func<Task<IResult>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (StoreException e)
        {
            return Results.Json(e.ToStatus(), KubeJson.Options, statusCode: e.Code);
        }
        catch (GitFetchException e)
        {
            var code = e.Reason switch
            {
                "PushRejected" or "RevertConflict" => 409,
                "RefNotFound" => 404,
                "AuthenticationFailed" => 502,
                "Timeout" => 504,
                "RevertFailed" => 422,
                _ => 502,
            };
            return Failure(code, e.Reason, e.Message);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return Failure(400, "BadRequest", e.Message);
        }
    }

    private static async Task<T?> ReadAsync<T>(HttpContext http) where T : class
    {
        if (http.Request.ContentLength is 0 || (http.Request.ContentLength == null && !http.Request.Headers.ContainsKey("Transfer-Encoding")))
        {
            return null;
        }

        try
        {
            return await System.Text.Json.JsonSerializer.DeserializeAsync<T>(http.Request.Body, KubeJson.Options, http.RequestAborted).ConfigureAwait(false);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    // Components can be switched off (EngineOptions.StartComponents); the routes stay and say so.
    private static IResult NotRunning() => Failure(503, "ServiceUnavailable", "the source controller is not running in this engine");

    private static IResult Failure(int code, string reason, string message)
        => Results.Json(new Status { Outcome = "Failure", Code = code, Reason = reason, Message = message }, KubeJson.Options, statusCode: code);
}
