using GitOrch.Api.Model;

namespace GitOrch.Engine.Http;

/// <summary>
/// What a request under /api or /apis addresses, decoded once from the path (like kube-apiserver's RequestInfo):
/// the authorizer decides on it and the resource handler serves it, so both always agree on what a path means.
/// </summary>
public sealed record RequestInfo(
    string Verb,
    string Group,
    string Version,
    string Plural,
    ResourceKind? Kind,
    string? Namespace,
    string? Name,
    string? Subresource)
{
    public const string ItemKey = "gitorch.requestInfo";

    public bool IsWatch => Verb == "watch";

    /// <summary>Decodes a resource path; null for anything that is not one (discovery, /healthz, /hooks/...).</summary>
    public static RequestInfo? Parse(string method, PathString path, IQueryCollection query)
    {
        var segments = (path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        int rest;
        string group, version;
        if (segments.Length >= 3 && segments[0] == "api")
        {
            (group, version, rest) = ("", segments[1], 2);
        }
        else if (segments.Length >= 4 && segments[0] == "apis")
        {
            (group, version, rest) = (segments[1], segments[2], 3);
        }
        else
        {
            return null;
        }

        var parts = segments.AsSpan(rest);
        string? ns = null;

        // "namespaces/{ns}/{plural}..." is a namespaced collection unless {plural} is not a namespaced kind, in which
        // case it is a subresource of the Namespace itself (namespaces/{name}/status).
        if (parts.Length >= 3 && parts[0] == "namespaces" && ResourceKinds.FromPath(group, version, parts[2]) is { Namespaced: true })
        {
            ns = parts[1];
            parts = parts[2..];
        }

        if (parts.Length is 0 or > 3)
        {
            return new RequestInfo(VerbFor(method, false, query), group, version, "", null, ns, null, null);
        }

        var plural = parts[0];
        var name = parts.Length > 1 ? parts[1] : null;
        var sub = parts.Length > 2 ? parts[2] : null;
        var kind = ResourceKinds.FromPath(group, version, plural);
        return new RequestInfo(VerbFor(method, name != null, query), group, version, plural, kind, ns, name, sub);
    }

    private static string VerbFor(string method, bool hasName, IQueryCollection query) => method switch
    {
        "GET" or "HEAD" when !hasName && IsTrue(query["watch"]) => "watch",
        "GET" or "HEAD" => hasName ? "get" : "list",
        "POST" => "create",
        "PUT" => "update",
        "PATCH" => "patch",
        "DELETE" => hasName ? "delete" : "deletecollection",
        _ => method.ToLowerInvariant(),
    };

    public static bool IsTrue(string? value) => value is "1" or "true" or "True";

    /// <summary>"pods", "pods/status": the resource string rules and messages use.</summary>
    public string Resource => Subresource == null ? Plural : Plural + "/" + Subresource;
}
