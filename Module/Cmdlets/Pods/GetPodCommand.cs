using System.Management.Automation;
using GitOrch.Api.Model;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Pods;

/// <summary>Get-Pod: Pods by name (wildcards), namespace, label selector and node.</summary>
[Cmdlet(VerbsCommon.Get, "Pod")]
[OutputType(typeof(PodInfo))]
public sealed class GetPodCommand : GetNamespacedCmdlet<Pod, PodInfo>
{
    /// <summary>Only Pods bound to this node (server-side field selector spec.nodeName).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(GitOrchCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Node { get; set; }

    protected override string? FieldSelector => Node == null ? null : "spec.nodeName=" + Node;

    protected override PodInfo Wrap(Pod obj) => new(obj);
}
