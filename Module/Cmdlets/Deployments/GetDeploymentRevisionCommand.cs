using System.Management.Automation;
using System.Threading.Tasks;
using GitOrch.Api.Model;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Deployments;

/// <summary>Get-DeploymentRevision: the rollout history of Deployments (their ReplicaSets' deployment.kubernetes.io/revision), oldest first.</summary>
[Cmdlet(VerbsCommon.Get, "DeploymentRevision", HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(DeploymentRevisionInfo))]
public sealed class GetDeploymentRevisionCommand : NamedObjectsCmdlet<Deployment>
{
    /// <summary>Only this revision.</summary>
    [Parameter]
    public long? Revision { get; set; }

    protected override async Task ProcessObjectAsync(Deployment obj)
    {
        var revisions = await DeploymentRevisions.ListAsync(Client, obj, CancellationToken);
        var current = DeploymentRevisions.Current(obj, revisions);
        var any = false;
        foreach (var (rs, revision) in revisions)
        {
            if (Revision == null || Revision == revision)
            {
                any = true;
                WriteObject(new DeploymentRevisionInfo(obj.Name, rs, revision == current));
            }
        }

        if (Revision != null && !any)
        {
            WriteError(GitOrchErrors.Create(GitOrchErrors.RevisionNotFound, ErrorCategory.ObjectNotFound, obj.Name, $"Deployment {obj.Namespace}/{obj.Name} has no revision {Revision}."));
        }
    }
}
