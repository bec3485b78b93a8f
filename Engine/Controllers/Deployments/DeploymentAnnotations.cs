namespace GitOrch.Engine.Controllers.Deployments;

/// <summary>Annotations and labels the Deployment controller reads and writes.</summary>
public static class DeploymentAnnotations
{
    /// <summary>On ReplicaSets and the Deployment: the rollout revision (as kubectl rollout history shows it).</summary>
    public const string Revision = "deployment.kubernetes.io/revision";

    /// <summary>Label on ReplicaSets and their Pods: hash of the Pod template that distinguishes one revision's Pods.</summary>
    public const string PodTemplateHash = "pod-template-hash";

    /// <summary>
    /// Rollback request: set it on a Deployment to a revision number ("0" or empty: the previous revision). The controller
    /// copies that revision's Pod template into spec.template, removes the annotation and records an Event RolledBack.
    /// This is how the HTTP API and the PowerShell module roll back (<see cref="DeploymentRollback"/> writes it).
    /// </summary>
    public const string RollbackTo = "gitorch.io/rollback-to";

    /// <summary>"true": when a rollout exceeds its progress deadline, roll back to the last revision that was available.</summary>
    public const string AutoRollback = "gitorch.io/auto-rollback";

    /// <summary>Written by the controller: the revision that last completed its rollout (the auto-rollback target).</summary>
    public const string LastAvailableRevision = "gitorch.io/last-available-revision";
}
