using System.Text.Json.Nodes;
using GitOrch.Api.Model;
using GitOrch.Engine.Security;

namespace GitOrch.Engine.Http.Authorization;

/// <summary>
/// authorization.k8s.io/v1 SelfSubjectAccessReview ("may I do this?") and SelfSubjectRulesReview ("what may I do?"),
/// answered by the same <see cref="Authorizer"/> that guards every request, so <c>kubectl auth can-i</c> tells the truth.
/// </summary>
internal static class AccessReviewEndpoints
{
    private const string Group = "/apis/authorization.k8s.io/v1";
    private const string ApiVersion = "authorization.k8s.io/v1";

    public static IEndpointRouteBuilder MapAccessReviews(this IEndpointRouteBuilder app)
    {
        app.MapPost(Group + "/selfsubjectaccessreviews", AccessReviewAsync);
        app.MapPost(Group + "/selfsubjectrulesreviews", RulesReviewAsync);
        return app;
    }

    private static async Task AccessReviewAsync(HttpContext context)
    {
        var review = await ReadAsync(context, "SelfSubjectAccessReview");
        var role = RoleOf(context);
        var spec = review["spec"] as JsonObject ?? throw Invalid("spec", "Required value");
        bool allowed;
        if (spec["resourceAttributes"] is JsonObject r)
        {
            var info = new RequestInfo(
                (string?)r["verb"] ?? throw Invalid("spec.resourceAttributes.verb", "Required value"),
                (string?)r["group"] ?? "",
                (string?)r["version"] ?? "",
                (string?)r["resource"] ?? throw Invalid("spec.resourceAttributes.resource", "Required value"),
                null,
                (string?)r["namespace"] is { Length: > 0 } ns ? ns : null,
                (string?)r["name"] is { Length: > 0 } name ? name : null,
                (string?)r["subresource"] is { Length: > 0 } sub ? sub : null);
            allowed = Authorizer.IsAllowed(role, info);
        }
        else if (spec["nonResourceAttributes"] is JsonObject)
        {
            allowed = Authorizer.IsAllowed(role, null);
        }
        else
        {
            throw Invalid("spec", "exactly one of resourceAttributes or nonResourceAttributes must be specified");
        }

        review["status"] = new JsonObject
        {
            ["allowed"] = allowed,
            ["reason"] = allowed ? $"GitOrch {role.ToString().ToLowerInvariant()} token" : "",
        };
        await WriteAsync(context, review);
    }

    private static async Task RulesReviewAsync(HttpContext context)
    {
        var review = await ReadAsync(context, "SelfSubjectRulesReview");
        var role = RoleOf(context);
        var rules = new JsonArray();
        foreach (var (group, resource, verbs) in Authorizer.RulesFor(role))
        {
            rules.Add(new JsonObject { ["verbs"] = new JsonArray([.. verbs.Select(v => (JsonNode)v)]), ["apiGroups"] = new JsonArray(group), ["resources"] = new JsonArray(resource) });
        }

        // Discovery, OpenAPI and /version are open to every authenticated caller.
        var nonResource = role == ApiRole.Admin ? new JsonArray("*") : new JsonArray("/api", "/api/*", "/apis", "/apis/*", "/openapi", "/openapi/*", "/version", "/healthz");
        review["status"] = new JsonObject
        {
            ["resourceRules"] = rules,
            ["nonResourceRules"] = new JsonArray(new JsonObject { ["verbs"] = new JsonArray(role == ApiRole.Admin ? "*" : "get"), ["nonResourceURLs"] = nonResource }),
            ["incomplete"] = false,
        };
        await WriteAsync(context, review);
    }

    private static ApiRole RoleOf(HttpContext context) => context.Items[AuthMiddleware.RoleKey] as ApiRole? ?? ApiRole.Agent;

    private static async Task<JsonObject> ReadAsync(HttpContext context, string kind)
    {
        var bytes = await RequestBody.ReadBytesAsync(context, ApiResponses.Json);
        var review = JsonNode.Parse(bytes) as JsonObject ?? throw ApiException.BadRequest($"a {kind} must be a JSON object");
        if ((string?)review["kind"] is { } k && k != kind)
        {
            throw ApiException.BadRequest($"the kind of the object in the body (\"{k}\") does not match the kind of the URL (\"{kind}\")");
        }

        review["apiVersion"] = ApiVersion;
        review["kind"] = kind;
        review["metadata"] ??= new JsonObject();
        return review;
    }

    private static Task WriteAsync(HttpContext context, JsonObject review)
        => ApiResponses.WriteJsonAsync(context, 201, System.Text.Encoding.UTF8.GetBytes(review.ToJsonString()));

    private static Store.StoreException Invalid(string field, string message)
        => new("Invalid", 422, $"SelfSubjectAccessReview is invalid: {field}: {message}", [new StatusCause { Field = field, Reason = "FieldValueInvalid", Message = message }]);
}
