namespace GitOrch.Api.Model;

/// <summary>Annotations that are part of GitOrch's wire contract (see <see cref="WellKnownLabels"/>).</summary>
public static class WellKnownAnnotations
{
    /// <summary>The commit that last changed a GitSource-managed object.</summary>
    public const string Commit = "gitorch.io/commit";

    /// <summary>Content hash of the manifest as applied (previews compare it, having no inventory).</summary>
    public const string Hash = "gitorch.io/hash";

    /// <summary>The file in the source repository that defines the object.</summary>
    public const string File = "gitorch.io/file";

    /// <summary>"disabled": keep the object when it leaves Git.</summary>
    public const string Prune = "gitorch.io/prune";

    /// <summary>"disabled": leave changes made through the API alone.</summary>
    public const string Reconcile = "gitorch.io/reconcile";

    /// <summary>The value that turns <see cref="Prune"/> and <see cref="Reconcile"/> off.</summary>
    public const string Disabled = "disabled";

    /// <summary>On a GitSource: any new value asks for a reconcile now (Sync-GitOrchSource).</summary>
    public const string RequestedAt = "gitorch.io/requestedAt";

    /// <summary>On ReplicaSets and the Deployment: the rollout revision (as kubectl rollout history shows it).</summary>
    public const string DeploymentRevision = "deployment.kubernetes.io/revision";

    /// <summary>
    /// Rollback request on a Deployment: a revision number ("0" or empty: the previous revision). The Deployment
    /// controller copies that revision's Pod template into spec.template, removes the annotation and records an Event
    /// RolledBack. The HTTP API and the module's Undo-Deployment roll back by writing it.
    /// </summary>
    public const string RollbackTo = "gitorch.io/rollback-to";

    /// <summary>"true" on a Deployment: when a rollout exceeds its progress deadline, roll back to the last available revision.</summary>
    public const string AutoRollback = "gitorch.io/auto-rollback";

    /// <summary>Written by the Deployment controller: the revision that last completed its rollout (the auto-rollback target).</summary>
    public const string LastAvailableRevision = "gitorch.io/last-available-revision";
}
