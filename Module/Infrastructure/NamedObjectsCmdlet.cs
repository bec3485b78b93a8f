using System.Management.Automation;
using System.Threading.Tasks;
using GitOrch.Api.Model;

namespace GitOrch.Module.Infrastructure;

/// <summary>
/// Base of cmdlets that act on existing objects of one kind: -Name (mandatory, wildcards, from the pipeline by
/// property name, so <c>Get-Pod -Selector app=web | Remove-Pod</c> works) and -Namespace. Each resolved object
/// is handed to <see cref="ProcessObjectAsync"/>; a literal name that does not exist is a non-terminating
/// ObjectNotFound error, so the rest of the pipeline goes on.
/// </summary>
public abstract class NamedObjectsCmdlet<T> : GitOrchCmdlet
    where T : KubeObject
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(GitOrchCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = System.Array.Empty<string>();

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(GitOrchCompleter))]
    public string? Namespace { get; set; }

    protected string ResolvedNamespace => NamespaceOrDefault(Namespace);

    protected override async Task ProcessRecordAsync()
    {
        foreach (var obj in await ResolveAsync<T>(Name, ResolvedNamespace))
        {
            ErrorTarget = obj.Name;
            await ProcessObjectAsync(obj);
        }
    }

    protected abstract Task ProcessObjectAsync(T obj);

    /// <summary>"Deployment default/web", the target text of ShouldProcess.</summary>
    protected static string Describe(T obj) => ResourceKinds.Of(obj).Kind + " " + (obj.Namespace == null ? obj.Name : obj.Namespace + "/" + obj.Name);
}
