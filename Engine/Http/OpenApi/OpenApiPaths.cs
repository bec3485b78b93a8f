using System.Text.Json.Nodes;
using GitOrch.Api.Model;

namespace GitOrch.Engine.Http.OpenApi;

/// <summary>
/// The operations of each kind's paths, with <c>x-kubernetes-action</c> and <c>x-kubernetes-group-version-kind</c>
/// and the query parameters clients probe for before using a feature: kubectl checks that a kind's PATCH takes
/// <c>dryRun</c> (diff, apply --dry-run=server) and <c>fieldValidation</c> (server-side validation) here.
/// </summary>
internal static class OpenApiPaths
{
    private static readonly string[] WriteParameters = ["dryRun", "fieldManager", "fieldValidation"];

    public static JsonObject For(IEnumerable<ResourceKind> kinds, OpenApiSchemas schemas, bool v3)
    {
        var paths = new JsonObject();
        foreach (var kind in kinds)
        {
            var collection = kind.Namespaced ? kind.CollectionPath("{namespace}") : kind.CollectionPath(null);
            var item = collection + "/{name}";
            var body = schemas.RefTo(kind.Type);
            paths[collection] = new JsonObject
            {
                ["get"] = Operation("list", kind, body, [], v3),
                ["post"] = Operation("post", kind, body, WriteParameters, v3),
            };
            paths[item] = new JsonObject
            {
                ["get"] = Operation("get", kind, body, [], v3),
                ["put"] = Operation("put", kind, body, WriteParameters, v3),
                ["patch"] = Operation("patch", kind, body, [.. WriteParameters, "force"], v3),
                ["delete"] = Operation("delete", kind, body, ["dryRun"], v3),
            };
            if (kind.Namespaced)
            {
                paths[kind.CollectionPath(null)] = new JsonObject { ["get"] = Operation("list", kind, body, [], v3) };
            }

            if (ResourceHandler.HasStatus(kind))
            {
                paths[item + "/status"] = new JsonObject
                {
                    ["get"] = Operation("get", kind, body, [], v3),
                    ["put"] = Operation("put", kind, body, WriteParameters, v3),
                    ["patch"] = Operation("patch", kind, body, [.. WriteParameters, "force"], v3),
                };
            }
        }

        return paths;
    }

    private static JsonObject Operation(string action, ResourceKind kind, JsonObject body, string[] query, bool v3)
    {
        var parameters = new JsonArray();
        foreach (var name in query)
        {
            parameters.Add(v3
                ? new JsonObject { ["name"] = name, ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } }
                : new JsonObject { ["name"] = name, ["in"] = "query", ["type"] = "string", ["uniqueItems"] = true });
        }

        var schema = body.DeepClone();
        var ok = v3
            ? new JsonObject { ["description"] = "OK", ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schema } } }
            : new JsonObject { ["description"] = "OK", ["schema"] = schema };
        return new JsonObject
        {
            ["operationId"] = action + kind.Kind,
            ["parameters"] = parameters,
            ["responses"] = new JsonObject { ["200"] = ok },
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = kind.Group, ["kind"] = kind.Kind, ["version"] = kind.Version },
        };
    }
}
