using GitOrch.Module.Infrastructure;
using System.Management.Automation;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Sources;

/// <summary>Resume-GitOrchSource: fetching and applying start again (spec.suspend=false) with a reconcile at once.</summary>
[Cmdlet(VerbsLifecycle.Resume, "GitOrchSource", SupportsShouldProcess = true, HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(GitSourceInfo))]
public sealed class ResumeGitOrchSourceCommand : SourceSuspensionCmdlet
{
    protected override bool Suspend => false;
}
