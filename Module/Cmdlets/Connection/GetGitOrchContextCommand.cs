using System.Management.Automation;
using System.Threading.Tasks;
using GitOrch.Module.Connection;
using GitOrch.Module.Infrastructure;

namespace GitOrch.Module.Cmdlets.Connection;

/// <summary>Get-GitOrchContext: where requests go now, and why (environment, saved config or local defaults).</summary>
[Cmdlet(VerbsCommon.Get, "GitOrchContext", HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(GitOrchContext))]
public sealed class GetGitOrchContextCommand : GitOrchCmdlet
{
    protected override Task ProcessRecordAsync()
    {
        WriteObject(Context);
        return Task.CompletedTask;
    }
}
