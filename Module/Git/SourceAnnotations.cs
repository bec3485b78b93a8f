using GitOrch.Api.Model;

namespace GitOrch.Module.Git;

/// <summary>Labels and annotations the source controller writes on the objects it manages (Engine/Sources/SourceLabels.cs): aliases of the
/// wire-contract constants in Api/Model/WellKnown, kept for the module's callers.</summary>
internal static class SourceAnnotations
{
    /// <summary>Label: "namespace.name" of the managing GitSource.</summary>
    public const string Source = WellKnownLabels.Source;

    /// <summary>Annotation: the commit that last changed the object.</summary>
    public const string Commit = WellKnownAnnotations.Commit;

    /// <summary>Annotation: the file in the repository that defines the object.</summary>
    public const string File = WellKnownAnnotations.File;

    /// <summary>Annotation on a GitSource: a new value asks for a reconcile now.</summary>
    public const string RequestedAt = WellKnownAnnotations.RequestedAt;

    /// <summary>Annotation on a Deployment: roll back to this revision ("0": the previous one). Read by the Deployment controller.</summary>
    public const string RollbackTo = WellKnownAnnotations.RollbackTo;

    /// <summary>Annotation on ReplicaSets and Deployments: the rollout revision.</summary>
    public const string Revision = WellKnownAnnotations.DeploymentRevision;
}
