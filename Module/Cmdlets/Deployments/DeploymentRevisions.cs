using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using GitOrch.Api.Client;
using GitOrch.Api.Model;
using GitOrch.Module.Git;

namespace GitOrch.Module.Cmdlets.Deployments;

/// <summary>The ReplicaSets of a Deployment (its revisions), oldest first, by owner reference.</summary>
internal static class DeploymentRevisions
{
    public static async Task<List<(ReplicaSet ReplicaSet, long Revision)>> ListAsync(GitOrchClient client, Deployment d, CancellationToken ct)
    {
        var all = (await client.ListAsync<ReplicaSet>(d.Namespace, cancellationToken: ct).ConfigureAwait(false)).Items;
        return all
            .Where(rs => rs.Metadata.OwnerReferences?.Any(o => o.Kind == "Deployment" && (o.Uid == d.Metadata.Uid || (string.IsNullOrEmpty(o.Uid) && o.Name == d.Name))) == true)
            .Select(rs => (rs, long.TryParse(rs.Metadata.Annotation(SourceAnnotations.Revision), out var r) ? r : 0))
            .OrderBy(x => x.Item2)
            .ToList();
    }

    /// <summary>The revision the Deployment runs now: its revision annotation, else the newest ReplicaSet.</summary>
    public static long Current(Deployment d, List<(ReplicaSet ReplicaSet, long Revision)> revisions)
        => long.TryParse(d.Metadata.Annotation(SourceAnnotations.Revision), out var r) ? r : revisions.Count == 0 ? 0 : revisions[revisions.Count - 1].Revision;

    /// <summary>A ReplicaSet's Pod template as a Deployment template: without the pod-template-hash the controller adds.</summary>
    public static PodTemplateSpec TemplateOf(ReplicaSet rs)
    {
        var template = Api.Serialization.KubeJson.Deserialize<PodTemplateSpec>(Api.Serialization.KubeJson.Serialize(rs.Spec!.Template));
        template.Metadata?.Labels?.Remove("pod-template-hash");
        return template;
    }
}
