using System.Management.Automation;
using System.Threading.Tasks;
using GitOrch.Api.Model;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Namespaces;

/// <summary>Remove-GitOrchNamespace: deletes Namespaces and everything in them.</summary>
[Cmdlet(VerbsCommon.Remove, "GitOrchNamespace", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(NamespaceInfo))]
public sealed class RemoveGitOrchNamespaceCommand : GitOrchCmdlet
{
    /// <summary>Names of the Namespaces to delete; wildcards select from the list.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(GitOrchCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = System.Array.Empty<string>();

    /// <summary>Output each deleted Namespace.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Deletes without asking for confirmation (for scripts and pwsh -NonInteractive); -WhatIf still only reports.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override async Task ProcessRecordAsync()
    {
        foreach (var ns in await ResolveAsync<Namespace>(Name, null))
        {
            ErrorTarget = ns.Name;
            if (!ShouldProcessUnlessForced(Force, "Namespace " + ns.Name + " and everything in it", "Remove"))
            {
                continue;
            }

            await Client.DeleteAsync<Namespace>(null, ns.Name, "Background", CancellationToken);
            if (PassThru)
            {
                WriteObject(new NamespaceInfo(ns));
            }
        }
    }
}
