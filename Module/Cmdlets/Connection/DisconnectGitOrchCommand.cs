using System.Management.Automation;
using System.Threading.Tasks;
using GitOrch.Module.Connection;
using GitOrch.Module.Infrastructure;

namespace GitOrch.Module.Cmdlets.Connection;

/// <summary>Disconnect-GitOrch: forgets the saved connection; the module falls back to the local engine's defaults.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "GitOrch", SupportsShouldProcess = true, HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(GitOrchContext))]
public sealed class DisconnectGitOrchCommand : GitOrchCmdlet
{
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override Task ProcessRecordAsync()
    {
        var path = ContextFile.Path;
        if (ShouldProcess(path, "Remove saved GitOrch connection"))
        {
            if (!ContextFile.Delete())
            {
                WriteVerbose($"No saved connection at {path}.");
            }

            if (PassThru)
            {
                WriteObject(ContextResolver.Resolve());
            }
        }

        return Task.CompletedTask;
    }
}
