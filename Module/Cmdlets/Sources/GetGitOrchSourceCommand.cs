using System.Management.Automation;
using GitOrch.Api.Model;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Sources;

/// <summary>Get-GitOrchSource: GitSources with their Ready state, reason and last applied commit.</summary>
[Cmdlet(VerbsCommon.Get, "GitOrchSource", HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(GitSourceInfo))]
public sealed class GetGitOrchSourceCommand : GetNamespacedCmdlet<GitSource, GitSourceInfo>
{
    protected override GitSourceInfo Wrap(GitSource obj) => new(obj);
}
