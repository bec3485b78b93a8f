using System.Management.Automation;
using GitOrch.Api.Model;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Workloads;

/// <summary>Get-DaemonSet: DaemonSets by name (wildcards), namespace and label selector.</summary>
[Cmdlet(VerbsCommon.Get, "DaemonSet", HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(DaemonSetInfo))]
public sealed class GetDaemonSetCommand : GetNamespacedCmdlet<DaemonSet, DaemonSetInfo>
{
    protected override DaemonSetInfo Wrap(DaemonSet obj) => new(obj);
}
