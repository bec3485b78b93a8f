using System.Linq;
using GitOrch.Api.Model;

namespace GitOrch.Module.Results;

/// <summary>One rollout revision of a Deployment (a ReplicaSet): REVISION REPLICASET IMAGES REPLICAS CURRENT AGE.</summary>
public sealed class DeploymentRevisionInfo : ResourceInfo<ReplicaSet>
{
    public DeploymentRevisionInfo(string deployment, ReplicaSet rs, bool current)
        : base(rs)
    {
        Deployment = deployment;
        long.TryParse(rs.Metadata.Annotation(Git.SourceAnnotations.Revision), out var revision);
        Revision = revision;
        Images = rs.Spec?.Template.Spec?.Containers.Select(c => c.Image ?? "").ToArray() ?? System.Array.Empty<string>();
        Replicas = rs.Status?.Replicas ?? 0;
        Current = current;
        Commit = rs.Spec?.Template.Metadata?.Annotation(Git.SourceAnnotations.Commit) ?? rs.Metadata.Annotation(Git.SourceAnnotations.Commit);
    }

    public string Deployment { get; }

    public long Revision { get; }

    /// <summary>The ReplicaSet that holds this revision's Pod template (also in Name).</summary>
    public string ReplicaSet => Name;

    public string[] Images { get; }

    public int Replicas { get; }

    /// <summary>True for the revision the Deployment's template currently matches.</summary>
    public bool Current { get; }

    public string? Commit { get; }
}
