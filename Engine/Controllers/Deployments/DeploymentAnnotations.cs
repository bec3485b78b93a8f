using GitOrch.Api.Model;

namespace GitOrch.Engine.Controllers.Deployments;

/// <summary>Annotations and labels the Deployment controller reads and writes.</summary>
public static class DeploymentAnnotations
{
    /// <summary>On ReplicaSets and the Deployment: the rollout revision (as kubectl rollout history shows it).</summary>
    public const string Revision = WellKnownAnnotations.DeploymentRevision;

    /// <summary>Label on ReplicaSets and their Pods: hash of the Pod template that distinguishes one revision's Pods.</summary>
    public const string PodTemplateHash = WellKnownLabels.PodTemplateHash;

    /// <summary>
    /// Rollback request: set it on a Deployment to a revision number ("0" or empty: the previous revision). The controller
    /// copies that revision's Pod template into spec.template, removes the annotation and records an Event RolledBack.
    /// This is how the HTTP API and the PowerShell module roll back.
    /// </summary>
    public const string RollbackTo = WellKnownAnnotations.RollbackTo;

    /// <summary>"true": when a rollout exceeds its progress deadline, roll back to the last revision that was available.</summary>
    public const string AutoRollback = WellKnownAnnotations.AutoRollback;

    /// <summary>Written by the controller: the revision that last completed its rollout (the auto-rollback target).</summary>
    public const string LastAvailableRevision = WellKnownAnnotations.LastAvailableRevision;
}
