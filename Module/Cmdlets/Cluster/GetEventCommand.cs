using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using GitOrch.Api.Model;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Cluster;

/// <summary>Get-GitOrchEvent: Events of a namespace, oldest first (as kubectl sorts them), optionally about one object.</summary>
[Cmdlet(VerbsCommon.Get, "GitOrchEvent", DefaultParameterSetName = "Name", HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(EventInfo))]
public sealed class GetEventCommand : GetNamespacedCmdlet<Event, EventInfo>
{
    /// <summary>Only events about this object: "name", "kind/name" (kind, plural or short name: "pod/web-1", "deploy/web").</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? InvolvedObject { get; set; }

    /// <summary>Any GitOrch object from the pipeline (Get-Pod, Get-Deployment, Get-GitOrchSource, ...): only the events about it.</summary>
    [Parameter(ValueFromPipeline = true, ParameterSetName = "InputObject")]
    public IGitOrchResource? InputObject { get; set; }

    protected override EventInfo Wrap(Event obj) => new(obj);

    protected override Task ProcessRecordAsync()
        => InputObject == null
            ? base.ProcessRecordAsync()
            : WriteMatchesAsync(CommandLineName, InputObject.Namespace ?? (AllNamespaces ? null : NamespaceOrDefault(Namespace)), Selector, null);

    private bool IsAbout(Event e, IGitOrchResource obj)
    {
        var uid = obj.KubeObject.Metadata.Uid;
        if (!string.IsNullOrEmpty(uid) && !string.IsNullOrEmpty(e.InvolvedObject.Uid))
        {
            return string.Equals(uid, e.InvolvedObject.Uid, StringComparison.Ordinal);
        }

        return string.Equals(e.InvolvedObject.Name, obj.Name, StringComparison.Ordinal)
            && string.Equals(e.InvolvedObject.Kind, ResourceKinds.Of(obj.KubeObject).Kind, StringComparison.OrdinalIgnoreCase);
    }

    protected override bool Keep(Event e)
    {
        if (InputObject != null && !IsAbout(e, InputObject))
        {
            return false;
        }

        if (InvolvedObject == null)
        {
            return true;
        }

        var slash = InvolvedObject.IndexOf('/');
        var name = slash < 0 ? InvolvedObject : InvolvedObject.Substring(slash + 1);
        if (!string.Equals(e.InvolvedObject.Name, name, StringComparison.Ordinal))
        {
            return false;
        }

        if (slash < 0)
        {
            return true;
        }

        var kindText = InvolvedObject.Substring(0, slash);
        var kind = ResourceKinds.TryFindByName(kindText, out var k) ? k.Kind : kindText;
        return string.Equals(e.InvolvedObject.Kind, kind, StringComparison.OrdinalIgnoreCase);
    }

    protected override IEnumerable<Event> Order(IEnumerable<Event> items)
        => items.OrderBy(e => e.LastTimestamp ?? e.FirstTimestamp ?? e.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue);
}
