using System.Management.Automation;
using GitOrch.Api.Model;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Workloads;

/// <summary>Get-CronJob: CronJobs by name (wildcards), namespace and label selector.</summary>
[Cmdlet(VerbsCommon.Get, "CronJob", HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(CronJobInfo))]
public sealed class GetCronJobCommand : GetNamespacedCmdlet<CronJob, CronJobInfo>
{
    protected override CronJobInfo Wrap(CronJob obj) => new(obj);
}
