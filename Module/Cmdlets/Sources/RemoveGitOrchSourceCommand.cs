using System.Management.Automation;
using System.Threading.Tasks;
using GitOrch.Api.Model;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Sources;

/// <summary>Remove-GitOrchSource: stops tracking a repository (the objects it applied are left to the source controller's finalizer rules).</summary>
[Cmdlet(VerbsCommon.Remove, "GitOrchSource", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(GitSourceInfo))]
public sealed class RemoveGitOrchSourceCommand : NamedObjectsCmdlet<GitSource>
{
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Deletes without asking for confirmation (for scripts and pwsh -NonInteractive); -WhatIf still only reports.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override async Task ProcessObjectAsync(GitSource obj)
    {
        if (!ShouldProcessUnlessForced(Force, Describe(obj), "Remove"))
        {
            return;
        }

        await Client.DeleteAsync<GitSource>(obj.Namespace, obj.Name, cancellationToken: CancellationToken);
        if (PassThru)
        {
            WriteObject(new GitSourceInfo(obj));
        }
    }
}
