using GitOrch.Engine.Http;

namespace GitOrch.Engine.Security;

/// <summary>
/// Decides whether a role may do a request. Admin may do everything. The agent token gets only what a node agent
/// needs, so a leaked agent token cannot change workloads: register and heartbeat its Node, read what Pods need to
/// run (pods, configmaps, secrets, services, endpoints, namespaces), write Pod status, record Events.
/// </summary>
public static class Authorizer
{
    private static readonly string[] Read = ["get", "list", "watch"];
    private static readonly string[] Write = ["create", "update", "patch"];

    // group/resource -> verbs the agent may use.
    private static readonly Dictionary<string, string[]> AgentRules = new(StringComparer.Ordinal)
    {
        ["/nodes"] = [.. Read, .. Write],
        ["/nodes/status"] = ["get", "update", "patch"],
        ["/pods"] = Read,
        ["/pods/status"] = ["get", "update", "patch"],
        ["/configmaps"] = Read,
        ["/secrets"] = Read,
        ["/services"] = Read,
        ["/endpoints"] = Read,
        ["/namespaces"] = Read,
        ["/events"] = [.. Read, .. Write],

        // Every caller may ask what it may do (kubectl auth can-i), as Kubernetes' system:basic-user allows.
        ["authorization.k8s.io/selfsubjectaccessreviews"] = ["create"],
        ["authorization.k8s.io/selfsubjectrulesreviews"] = ["create"],
    };

    /// <summary>What a role may do, as (API group, resource, verbs) rules; "*" is everything (SelfSubjectRulesReview).</summary>
    public static IEnumerable<(string Group, string Resource, string[] Verbs)> RulesFor(ApiRole role)
    {
        if (role == ApiRole.Admin)
        {
            return [("*", "*", ["*"])];
        }

        if (role != ApiRole.Agent)
        {
            return [];
        }

        return AgentRules.Select(r => (r.Key[..r.Key.IndexOf('/', StringComparison.Ordinal)], r.Key[(r.Key.IndexOf('/', StringComparison.Ordinal) + 1)..], r.Value));
    }

    /// <summary>The metrics token reads <c>/metrics</c> and nothing else; the other roles may read it too.</summary>
    public static bool IsAllowedPath(ApiRole role, string path) => role != ApiRole.Metrics || path == "/metrics";

    public static bool IsAllowed(ApiRole role, RequestInfo? request)
    {
        if (role == ApiRole.Admin)
        {
            return true;
        }

        if (role == ApiRole.Metrics)
        {
            return request == null;
        }

        // Non-resource paths (discovery, /version) are readable by every authenticated caller.
        if (request == null)
        {
            return true;
        }

        return AgentRules.TryGetValue(request.Group + "/" + request.Resource, out var verbs) && verbs.Contains(request.Verb);
    }

    public static string DenialMessage(ApiRole role, RequestInfo request)
    {
        var user = role switch { ApiRole.Agent => "gitorch:agent", ApiRole.Metrics => "gitorch:metrics", _ => "gitorch:admin" };
        var target = request.Name == null ? request.Resource : $"{request.Resource} \"{request.Name}\"";
        var scope = request.Namespace == null ? "at the cluster scope" : $"in the namespace \"{request.Namespace}\"";
        return $"{target} is forbidden: User \"{user}\" cannot {request.Verb} resource \"{request.Resource}\" in API group \"{request.Group}\" {scope}";
    }
}
