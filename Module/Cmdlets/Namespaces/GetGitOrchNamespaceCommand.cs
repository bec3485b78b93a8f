using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using GitOrch.Api.Model;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Namespaces;

/// <summary>Get-GitOrchNamespace: Namespaces by name (wildcards) and label selector.</summary>
[Cmdlet(VerbsCommon.Get, "GitOrchNamespace", HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(NamespaceInfo))]
public sealed class GetGitOrchNamespaceCommand : GitOrchCmdlet
{
    /// <summary>Names of the Namespaces; wildcards select from the list. Default: all.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(GitOrchCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Label selector, e.g. "team=shop".</summary>
    [Parameter]
    [Alias("l")]
    public string? Selector { get; set; }

    protected override async Task ProcessRecordAsync()
    {
        ErrorTarget = Name?.FirstOrDefault();
        foreach (var ns in (await ResolveAsync<Namespace>(Name, null, Selector)).OrderBy(n => n.Name, System.StringComparer.Ordinal))
        {
            WriteObject(new NamespaceInfo(ns));
        }
    }
}
