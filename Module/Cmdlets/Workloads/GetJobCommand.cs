using System.Management.Automation;
using GitOrch.Api.Model;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;
using Job = GitOrch.Api.Model.Job;

namespace GitOrch.Module.Cmdlets.Workloads;

/// <summary>Get-GitOrchJob: Jobs by name (wildcards), namespace and label selector.</summary>
[Cmdlet(VerbsCommon.Get, "GitOrchJob", HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(JobInfo))]
public sealed class GetJobCommand : GetNamespacedCmdlet<Job, JobInfo>
{
    protected override JobInfo Wrap(Job obj) => new(obj);
}
