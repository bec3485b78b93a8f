using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using GitOrch.Api.Model;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Pods;

/// <summary>
/// Get-Pod: Pods by name (wildcards), namespace, label selector and node, or the Pods of whatever comes down
/// the pipeline: a Deployment, DaemonSet, StatefulSet, Job or Service (its selector) or a Node (its Pods).
/// </summary>
[Cmdlet(VerbsCommon.Get, "Pod", DefaultParameterSetName = "Name", HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(PodInfo))]
public sealed class GetPodCommand : GetNamespacedCmdlet<Pod, PodInfo>
{
    /// <summary>Only Pods bound to this node (server-side field selector spec.nodeName); binds from a Node's PodNode property.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("PodNode", "NodeName")]
    [ArgumentCompleter(typeof(GitOrchCompleter))]
    public string? Node { get; set; }

    /// <summary>A workload, Service or Node from the pipeline (Get-Deployment, Get-GitOrchService, Get-Node, ...): its Pods are listed.</summary>
    [Parameter(ValueFromPipeline = true, ParameterSetName = "Owner")]
    public IPodOwner? InputObject { get; set; }

    // Empty (a piped workload's PodNode) means "any node".
    /// <summary>After the current Pods, keep writing each Pod as it is added, changes or is deleted (property WatchEvent: ADDED, MODIFIED, DELETED) until Ctrl+C or the pipeline stops (Select-Object -First).</summary>
    [Parameter]
    public SwitchParameter Watch { get; set; }

    protected override string? FieldSelector => string.IsNullOrEmpty(Node) ? null : "spec.nodeName=" + Node;

    protected override PodInfo Wrap(Pod obj) => new(obj);

    protected override Task ProcessRecordAsync()
    {
        if (Watch)
        {
            return WatchAsync();
        }

        if (InputObject == null)
        {
            return base.ProcessRecordAsync();
        }

        var owner = InputObject;
        ErrorTarget = owner;
        if (owner.PodNode != null)
        {
            // A Node's Pods, whatever their namespace.
            return WriteMatchesAsync(CommandLineName, null, Selector, "spec.nodeName=" + owner.PodNode);
        }

        if (string.IsNullOrEmpty(owner.PodSelector))
        {
            // A Service (or workload) without a selector selects no Pods; never "all Pods".
            return Task.CompletedTask;
        }

        var ns = owner.Namespace ?? NamespaceOrDefault(null);
        var selector = Combine(owner.PodSelector, Selector);
        return WriteMatchesAsync(CommandLineName, ns, selector, FieldSelector);
    }

    /// <summary>The list, then the changes after its revision, so nothing between the two is missed.</summary>
    private async Task WatchAsync()
    {
        var ns = AllNamespaces ? null : NamespaceOrDefault(Namespace);
        var patterns = (Name ?? System.Array.Empty<string>()).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
        bool Wanted(Pod p) => patterns.Count == 0 || patterns.Any(w => w.IsMatch(p.Name));
        var list = await Client.ListAsync<Pod>(ns, Selector, FieldSelector, CancellationToken);
        foreach (var pod in Order(list.Items.Where(Wanted)))
        {
            WriteObject(Tag(pod, "ADDED"));
        }

        await foreach (var e in Client.WatchAsync<Pod>(ns, list.Metadata.ResourceVersion, Selector, FieldSelector, CancellationToken))
        {
            if (e.Object != null && e.Type is "ADDED" or "MODIFIED" or "DELETED" && Wanted(e.Object))
            {
                WriteObject(Tag(e.Object, e.Type));
            }
        }
    }

    private static PSObject Tag(Pod pod, string type)
    {
        var result = PSObject.AsPSObject(new PodInfo(pod));
        result.Properties.Add(new PSNoteProperty("WatchEvent", type));
        return result;
    }

    private static string? Combine(string? a, string? b)
        => string.IsNullOrEmpty(a) ? b : string.IsNullOrEmpty(b) ? a : a + "," + b;
}
