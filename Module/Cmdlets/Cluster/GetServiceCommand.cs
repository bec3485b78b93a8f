using System.Management.Automation;
using GitOrch.Api.Model;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Cluster;

/// <summary>Get-GitOrchService: Services by name (wildcards), namespace and label selector.</summary>
[Cmdlet(VerbsCommon.Get, "GitOrchService", HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(ServiceInfo))]
public sealed class GetServiceCommand : GetNamespacedCmdlet<Service, ServiceInfo>
{
    protected override ServiceInfo Wrap(Service obj) => new(obj);
}
