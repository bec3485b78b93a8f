using System.Management.Automation;
using GitOrch.Api.Model;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Metrics;

/// <summary>Get-PodMetric: recent CPU and memory of Pods (metrics.k8s.io), by name (wildcards), namespace and label selector; kubectl top pods.</summary>
[Cmdlet(VerbsCommon.Get, "PodMetric", DefaultParameterSetName = "Name", HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(PodMetricInfo))]
public sealed class GetPodMetricCommand : GetNamespacedCmdlet<PodMetrics, PodMetricInfo>
{
    protected override PodMetricInfo Wrap(PodMetrics obj) => new(obj);
}
