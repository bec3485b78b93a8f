using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using GitOrch.Api.Model;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Metrics;

/// <summary>Get-NodeMetric: recent CPU and memory of nodes (metrics.k8s.io) with their share of the node's allocatable; kubectl top nodes.</summary>
[Cmdlet(VerbsCommon.Get, "NodeMetric", HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(NodeMetricInfo))]
public sealed class GetNodeMetricCommand : GitOrchCmdlet
{
    /// <summary>Node names; wildcards allowed.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(GitOrchCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Label selector of the nodes, e.g. "disk=ssd".</summary>
    [Parameter]
    [Alias("l")]
    public string? Selector { get; set; }

    protected override async Task ProcessRecordAsync()
    {
        ErrorTarget = Name?.FirstOrDefault();
        var nodes = (await Client.ListAsync<Node>(null, Selector, null, CancellationToken)).Items.ToDictionary(n => n.Name, System.StringComparer.Ordinal);
        foreach (var m in (await ResolveAsync<NodeMetrics>(Name, null, Selector)).OrderBy(n => n.Name, System.StringComparer.Ordinal))
        {
            WriteObject(new NodeMetricInfo(m, nodes.TryGetValue(m.Name, out var node) ? node : null));
        }
    }
}
