using GitOrch.Api.Model;

namespace GitOrch.Engine.Controllers.Autoscaling;

/// <summary>Resolves an HPA's scaleTargetRef to a kind with a scale subresource, or says why not in upstream's words.</summary>
internal static class ScaleTarget
{
    public static ResourceKind? KindOf(CrossVersionObjectReference target, out string? error)
    {
        error = null;
        var group = GroupOf(target.ApiVersion);
        foreach (var kind in new[] { ResourceKinds.Deployment, ResourceKinds.StatefulSet, ResourceKinds.ReplicaSet })
        {
            if (kind.Kind == target.Kind && (group == null || group == kind.Group))
            {
                return kind;
            }
        }

        error = $"no matches for kind \"{target.Kind}\" in group \"{group ?? ""}\" with a scale subresource";
        return null;
    }

    private static string? GroupOf(string? apiVersion)
    {
        if (string.IsNullOrEmpty(apiVersion))
        {
            return null;
        }

        var slash = apiVersion!.IndexOf('/');
        return slash < 0 ? "" : apiVersion[..slash];
    }
}
