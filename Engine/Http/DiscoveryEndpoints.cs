using GitOrch.Api.Model;

namespace GitOrch.Engine.Http;

/// <summary>
/// Discovery documents (<c>/api</c>, <c>/api/v1</c>, <c>/apis</c>, <c>/apis/{group}[/{version}]</c>) built from
/// <see cref="ResourceKinds"/>, so standard Kubernetes clients (kubectl, client libraries) can find every kind.
/// </summary>
internal static class DiscoveryEndpoints
{
    private static readonly string[] ObjectVerbs = ["create", "delete", "get", "list", "patch", "update", "watch"];
    private static readonly string[] SubresourceVerbs = ["get", "patch", "update"];

    public static IEndpointRouteBuilder MapDiscovery(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api", (HttpContext c) => Json(c, new
        {
            kind = "APIVersions",
            versions = new[] { "v1" },
            serverAddressByClientCIDRs = new[] { new { clientCIDR = "0.0.0.0/0", serverAddress = c.Request.Host.Value } },
        }));
        app.MapGet("/apis", (HttpContext c) => Json(c, new { kind = "APIGroupList", apiVersion = "v1", groups = Groups().Select(GroupDoc).ToArray() }));
        app.MapGet("/api/{version}", (HttpContext c, string version) => ResourceList(c, "", version));
        app.MapGet("/apis/{group}", (HttpContext c, string group) => Groups().Contains(group)
            ? Json(c, GroupDoc(group) with { kind = "APIGroup", apiVersion = "v1" })
            : throw ApiException.NotFound($"the server could not find the requested resource (/apis/{group})"));
        app.MapGet("/apis/{group}/{version}", (HttpContext c, string group, string version) => ResourceList(c, group, version));
        return app;
    }

    private static readonly string[] ReadOnlyVerbs = ["get", "list"];

    private static IEnumerable<ResourceKind> Served() => ResourceKinds.All.Concat(ResourceKinds.ReadOnly);

    private static IEnumerable<string> Groups() => Served().Where(k => k.Group.Length > 0).Select(k => k.Group).Distinct();

    /// <summary>A group's versions in registry order; the first registered is the preferred one.</summary>
    private static GroupDocument GroupDoc(string group)
    {
        var versions = Served().Where(k => k.Group == group).Select(k => k.Version).Distinct().Select(v => new GroupVersion(group + "/" + v, v)).ToArray();
        return new GroupDocument(null, null, group, versions, versions[0]);
    }

    private static Task ResourceList(HttpContext c, string group, string version)
    {
        var kinds = Served().Where(k => k.Group == group && k.Version == version).ToList();
        if (kinds.Count == 0)
        {
            throw ApiException.NotFound($"the server could not find the requested resource ({(group.Length == 0 ? "/api/" : "/apis/" + group + "/")}{version})");
        }

        var resources = new List<object>();
        foreach (var k in kinds)
        {
            resources.Add(new
            {
                name = k.Plural,
                singularName = k.Kind.ToLowerInvariant(),
                namespaced = k.Namespaced,
                kind = k.Kind,
                verbs = ResourceKinds.ReadOnly.Contains(k) ? ReadOnlyVerbs : ObjectVerbs,
                shortNames = k.ShortName == null ? null : new[] { k.ShortName },
                categories = ResourceKinds.CategoriesOf(k) is { Count: > 0 } categories ? categories : null,
            });
            if (ResourceHandler.HasStatus(k))
            {
                resources.Add(new { name = k.Plural + "/status", singularName = "", namespaced = k.Namespaced, kind = k.Kind, verbs = SubresourceVerbs });
            }

            if (ScaleHandler.IsScalable(k))
            {
                resources.Add(new { name = k.Plural + "/scale", singularName = "", namespaced = true, group = "autoscaling", version = "v1", kind = "Scale", verbs = SubresourceVerbs });
            }

            if (k == ResourceKinds.Pod)
            {
                resources.Add(new { name = "pods/binding", singularName = "", namespaced = true, kind = "Binding", verbs = new[] { "create" } });
                resources.Add(new { name = "pods/log", singularName = "", namespaced = true, kind = "Pod", verbs = new[] { "get" } });
            }
        }

        return Json(c, new { kind = "APIResourceList", apiVersion = "v1", groupVersion = kinds[0].ApiVersion, resources });
    }

    private static Task Json(HttpContext c, object document) => ApiResponses.WriteObjectAsync(c, 200, document, document.GetType());

    private sealed record GroupVersion(string groupVersion, string version);

    private sealed record GroupDocument(string? kind, string? apiVersion, string name, GroupVersion[] versions, GroupVersion preferredVersion);
}
