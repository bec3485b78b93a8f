using System.Management.Automation;
using System.Threading.Tasks;
using GitOrch.Api.Model;
using GitOrch.Module.Git;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Deployments;

/// <summary>Remove-Deployment: deletes Deployments through the API, with their ReplicaSets and Pods.</summary>
[Cmdlet(VerbsCommon.Remove, "Deployment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(DeploymentInfo))]
public sealed class RemoveDeploymentCommand : NamedObjectsCmdlet<Deployment>
{
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Deletes without asking for confirmation (for scripts and pwsh -NonInteractive); -WhatIf still only reports.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override async Task ProcessObjectAsync(Deployment obj)
    {
        if (!ShouldProcessUnlessForced(Force, Describe(obj), "Remove"))
        {
            return;
        }

        if (obj.Metadata.Label(SourceAnnotations.Source) is { } managedBy)
        {
            WriteWarning($"Deployment {obj.Namespace}/{obj.Name} is defined in Git (GitSource {managedBy}, file {obj.Metadata.Annotation(SourceAnnotations.File)}): it comes back at the next reconcile unless it is removed from the repository.");
        }

        await Client.DeleteAsync<Deployment>(obj.Namespace, obj.Name, "Background", CancellationToken);
        if (PassThru)
        {
            WriteObject(new DeploymentInfo(obj));
        }
    }
}
