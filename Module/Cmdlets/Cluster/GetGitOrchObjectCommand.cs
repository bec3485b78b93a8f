using System;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using GitOrch.Api.Client;
using GitOrch.Api.Model;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Cluster;

/// <summary>Get-GitOrchObject: any kind GitOrch serves, by kind name, plural or short name (pod, deployments, rs, cm, gs, ...).</summary>
[Cmdlet(VerbsCommon.Get, "GitOrchObject", HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(GitOrchObjectInfo))]
public sealed class GetGitOrchObjectCommand : GitOrchCmdlet
{
    /// <summary>Kind of object, by kind, plural or short name: Pod, deployments, cm, gitsource, ...</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(GitOrchCompleter))]
    [ValidateNotNullOrEmpty]
    public string Kind { get; set; } = "";

    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(GitOrchCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(GitOrchCompleter))]
    public string? Namespace { get; set; }

    [Parameter]
    [Alias("A")]
    public SwitchParameter AllNamespaces { get; set; }

    [Parameter]
    [Alias("l")]
    public string? Selector { get; set; }

    protected override async Task ProcessRecordAsync()
    {
        if (!ResourceKinds.TryFindByName(Kind, out var kind))
        {
            throw Terminate(GitOrchErrors.Create("UnknownKind", ErrorCategory.InvalidArgument, Kind,
                $"\"{Kind}\" is not a kind GitOrch serves. Known kinds: {string.Join(", ", ResourceKinds.All.Select(k => k.Kind))}."));
        }

        var ns = kind.Namespaced ? (AllNamespaces ? null : NamespaceOrDefault(Namespace)) : null;
        var options = new ListOptions { LabelSelector = Selector };
        var found = new System.Collections.Generic.List<KubeObject>();
        if (Name == null || Name.Length == 0 || Name.Any(WildcardPattern.ContainsWildcardCharacters) || Selector != null || (kind.Namespaced && ns == null))
        {
            var items = (await Client.ListAsync(kind, ns, options, CancellationToken)).Items;
            if (Name == null || Name.Length == 0)
            {
                found.AddRange(items);
            }
            else
            {
                foreach (var name in Name)
                {
                    var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                    var matches = items.Where(i => pattern.IsMatch(i.Name)).ToList();
                    found.AddRange(matches.Where(m => !found.Contains(m)));
                    if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                    {
                        WriteError(GitOrchErrors.NotFound(kind, name, ns));
                    }
                }
            }
        }
        else
        {
            foreach (var name in Name)
            {
                ErrorTarget = name;
                var obj = await ForObjectAsync(kind, name, ns, () => Client.GetAsync(kind, ns, name, CancellationToken));
                if (obj != null)
                {
                    found.Add(obj);
                }
            }
        }

        foreach (var obj in found.OrderBy(o => o.Namespace, StringComparer.Ordinal).ThenBy(o => o.Name, StringComparer.Ordinal))
        {
            obj.ApiVersion ??= kind.ApiVersion;
            obj.Kind ??= kind.Kind;
            WriteObject(new GitOrchObjectInfo(obj));
        }
    }
}
