using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using GitOrch.Api.Model;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Cluster;

/// <summary>Get-Node: the registered nodes by name (wildcards) and label selector.</summary>
[Cmdlet(VerbsCommon.Get, "Node", HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(NodeInfo))]
public sealed class GetNodeCommand : GitOrchCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(GitOrchCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    [Parameter]
    [Alias("l")]
    public string? Selector { get; set; }

    protected override async Task ProcessRecordAsync()
    {
        ErrorTarget = Name?.FirstOrDefault();
        foreach (var node in (await ResolveAsync<Node>(Name, null, Selector)).OrderBy(n => n.Name, System.StringComparer.Ordinal))
        {
            WriteObject(new NodeInfo(node));
        }
    }
}
