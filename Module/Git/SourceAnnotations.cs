namespace GitOrch.Module.Git;

/// <summary>Labels and annotations the source controller writes on the objects it manages (Engine/Sources/SourceLabels.cs).</summary>
internal static class SourceAnnotations
{
    /// <summary>Label: "namespace.name" of the managing GitSource.</summary>
    public const string Source = "gitorch.io/source";

    /// <summary>Annotation: the commit that last changed the object.</summary>
    public const string Commit = "gitorch.io/commit";

    /// <summary>Annotation: the file in the repository that defines the object.</summary>
    public const string File = "gitorch.io/file";

    /// <summary>Annotation on a GitSource: a new value asks for a reconcile now.</summary>
    public const string RequestedAt = "gitorch.io/requestedAt";

    /// <summary>Annotation on a Deployment: roll back to this revision ("0": the previous one). Read by the Deployment controller.</summary>
    public const string RollbackTo = "gitorch.io/rollback-to";

    /// <summary>Annotation on ReplicaSets and Deployments: the rollout revision.</summary>
    public const string Revision = "deployment.kubernetes.io/revision";
}
