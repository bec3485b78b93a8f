using GitOrch.Module.Infrastructure;
using System.Management.Automation;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Sources;

/// <summary>Suspend-GitOrchSource: pauses fetching and applying (spec.suspend); what runs stays as it is.</summary>
[Cmdlet(VerbsLifecycle.Suspend, "GitOrchSource", SupportsShouldProcess = true, HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(GitSourceInfo))]
public sealed class SuspendGitOrchSourceCommand : SourceSuspensionCmdlet
{
    protected override bool Suspend => true;
}
