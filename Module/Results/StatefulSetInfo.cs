using GitOrch.Api.Model;

namespace GitOrch.Module.Results;

/// <summary>A StatefulSet: NAME READY AGE.</summary>
public sealed class StatefulSetInfo : ResourceInfo<StatefulSet>, IPodOwner
{
    public StatefulSetInfo(StatefulSet sts)
        : base(sts)
    {
        Replicas = sts.Spec?.Replicas ?? 1;
        ReadyReplicas = sts.Status?.ReadyReplicas ?? 0;
        ServiceName = sts.Spec?.ServiceName;
    }

    public string Ready => ReadyReplicas + "/" + Replicas;

    public int Replicas { get; }

    public int ReadyReplicas { get; }

    public string? ServiceName { get; }

    /// <summary>Label selector of its Pods, as text ("app=web").</summary>
    public string? PodSelector => GitOrch.Api.Selectors.Selector.FromLabelSelector(Object.Spec?.Selector).ToString();

    string? IPodOwner.PodNode => null;
}
