using System.Management.Automation;
using System.Threading.Tasks;
using GitOrch.Api.Model;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Pods;

/// <summary>Remove-Pod: deletes Pods (a controller that owns one starts a replacement).</summary>
[Cmdlet(VerbsCommon.Remove, "Pod", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(PodInfo))]
public sealed class RemovePodCommand : NamedObjectsCmdlet<Pod>
{
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Deletes without asking for confirmation (for scripts and pwsh -NonInteractive); -WhatIf still only reports.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override async Task ProcessObjectAsync(Pod obj)
    {
        if (!ShouldProcessUnlessForced(Force, Describe(obj), "Remove"))
        {
            return;
        }

        await Client.DeleteAsync<Pod>(obj.Namespace, obj.Name, cancellationToken: CancellationToken);
        if (PassThru)
        {
            WriteObject(new PodInfo(obj));
        }
    }
}
