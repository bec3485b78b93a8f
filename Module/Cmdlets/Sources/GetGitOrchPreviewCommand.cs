using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using GitOrch.Api.Model;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Sources;

/// <summary>Get-GitOrchPreview: the pull-request previews of GitSources (number, namespace, commit, state).</summary>
[Cmdlet(VerbsCommon.Get, "GitOrchPreview", HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(PreviewInfo))]
public sealed class GetGitOrchPreviewCommand : GitOrchCmdlet
{
    /// <summary>The GitSource(s); default: all in the namespace.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(GitOrchCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Source { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(GitOrchCompleter))]
    public string? Namespace { get; set; }

    [Parameter]
    [Alias("A")]
    public SwitchParameter AllNamespaces { get; set; }

    /// <summary>Only the preview of this pull request.</summary>
    [Parameter]
    public int? Number { get; set; }

    protected override async Task ProcessRecordAsync()
    {
        var sources = await ResolveAsync<GitSource>(Source, AllNamespaces ? null : NamespaceOrDefault(Namespace));
        foreach (var source in sources)
        {
            foreach (var p in (source.Status?.Previews ?? new System.Collections.Generic.List<PreviewStatus>()).Where(p => Number == null || p.Number == Number).OrderBy(p => p.Number))
            {
                WriteObject(new PreviewInfo(source.Name, source.Namespace, p));
            }
        }
    }
}
