using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using GitOrch.Api.Model;

namespace GitOrch.Module.Infrastructure;

/// <summary>
/// The shared surface of the Get- cmdlets of namespaced kinds: -Name (wildcards, from the pipeline by property
/// name), -Namespace or -AllNamespaces, -Selector (label selector, e.g. "app=web,tier!=db").
/// </summary>
public abstract class GetNamespacedCmdlet<T, TInfo> : GitOrchCmdlet
    where T : KubeObject
{
    protected const string NamespaceSet = "Namespace";
    protected const string AllNamespacesSet = "AllNamespaces";

    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(GitOrchCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(GitOrchCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Every namespace (overrides -Namespace).</summary>
    [Parameter]
    [Alias("A")]
    public SwitchParameter AllNamespaces { get; set; }

    /// <summary>Label selector, e.g. "app=web" or "env in (prod,staging)".</summary>
    [Parameter]
    [Alias("l")]
    public string? Selector { get; set; }

    /// <summary>Server-side field selector of this cmdlet (e.g. Get-Pod -Node), or null.</summary>
    protected virtual string? FieldSelector => null;

    /// <summary>
    /// The names typed on the command line (null when none). When a cmdlet takes whole objects from the pipeline
    /// (Get-Deployment | Get-Pod), PowerShell also binds the piped object's Name to -Name by property name;
    /// such a cmdlet uses these instead, so the Deployment's name is not taken for a Pod's.
    /// </summary>
    protected string[]? CommandLineName { get; private set; }

    protected override Task BeginProcessingAsync()
    {
        CommandLineName = MyInvocation.BoundParameters.ContainsKey(nameof(Name)) ? Name : null;
        return Task.CompletedTask;
    }

    protected abstract TInfo Wrap(T obj);

    /// <summary>Last filter on the client, for what the API cannot select (e.g. Get-Event -InvolvedObject).</summary>
    protected virtual bool Keep(T obj) => true;

    protected override Task ProcessRecordAsync()
        => WriteMatchesAsync(Name, AllNamespaces ? null : NamespaceOrDefault(Namespace), Selector, FieldSelector);

    /// <summary>Lists, filters (<see cref="Keep"/>), orders and writes the matching objects.</summary>
    protected async Task WriteMatchesAsync(string[]? names, string? ns, string? selector, string? fieldSelector)
    {
        ErrorTarget = names?.FirstOrDefault();
        var items = await ResolveAsync<T>(names, ns, selector, fieldSelector);
        foreach (var item in Order(items.Where(Keep)))
        {
            WriteObject(Wrap(item));
        }
    }

    protected virtual System.Collections.Generic.IEnumerable<T> Order(System.Collections.Generic.IEnumerable<T> items)
        => items.OrderBy(i => i.Namespace, System.StringComparer.Ordinal).ThenBy(i => i.Name, System.StringComparer.Ordinal);
}
