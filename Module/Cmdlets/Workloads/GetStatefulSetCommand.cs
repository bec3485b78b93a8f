using System.Management.Automation;
using GitOrch.Api.Model;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Workloads;

/// <summary>Get-StatefulSet: StatefulSets by name (wildcards), namespace and label selector.</summary>
[Cmdlet(VerbsCommon.Get, "StatefulSet", HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(StatefulSetInfo))]
public sealed class GetStatefulSetCommand : GetNamespacedCmdlet<StatefulSet, StatefulSetInfo>
{
    protected override StatefulSetInfo Wrap(StatefulSet obj) => new(obj);
}
