using GitOrch.Api.Model;

namespace GitOrch.Module.Results;

/// <summary>A DaemonSet: NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE AGE.</summary>
public sealed class DaemonSetInfo : ResourceInfo<DaemonSet>, IPodOwner
{
    public DaemonSetInfo(DaemonSet ds)
        : base(ds)
    {
        Desired = ds.Status?.DesiredNumberScheduled ?? 0;
        Current = ds.Status?.CurrentNumberScheduled ?? 0;
        Ready = ds.Status?.NumberReady ?? 0;
        UpToDate = ds.Status?.UpdatedNumberScheduled ?? 0;
        Available = ds.Status?.NumberAvailable ?? 0;
        NodeSelector = ds.Spec?.Template.Spec?.NodeSelector == null ? "<none>" : string.Join(",", System.Linq.Enumerable.Select(ds.Spec.Template.Spec.NodeSelector, kv => kv.Key + "=" + kv.Value));
    }

    public int Desired { get; }

    public int Current { get; }

    public int Ready { get; }

    public int UpToDate { get; }

    public int Available { get; }

    public string NodeSelector { get; }

    /// <summary>Label selector of its Pods, as text ("app=web").</summary>
    public string? PodSelector => GitOrch.Api.Selectors.Selector.FromLabelSelector(Object.Spec?.Selector).ToString();

    string? IPodOwner.PodNode => null;
}
