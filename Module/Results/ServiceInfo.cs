using System.Linq;
using GitOrch.Api.Model;

namespace GitOrch.Module.Results;

/// <summary>A Service: NAME TYPE CLUSTER-IP PORT(S) AGE.</summary>
public sealed class ServiceInfo : ResourceInfo<Service>, IPodOwner
{
    public ServiceInfo(Service svc)
        : base(svc)
    {
        Type = svc.Spec?.Type ?? "ClusterIP";
        ClusterIP = svc.Spec?.ClusterIP ?? "<none>";
        Ports = string.Join(",", svc.Spec?.Ports?.Select(p => p.Port + (p.NodePort is int np ? ":" + np : "") + "/" + (p.Protocol ?? "TCP")) ?? Enumerable.Empty<string>());
        Selector = string.Join(",", svc.Spec?.Selector?.Select(kv => kv.Key + "=" + kv.Value) ?? Enumerable.Empty<string>());
    }

    public string Type { get; }

    public string ClusterIP { get; }

    public string Ports { get; }

    public string Selector { get; }

    /// <summary>Label selector of its Pods, as text ("app=web").</summary>
    public string? PodSelector => Object.Spec?.Selector is { Count: > 0 } s ? GitOrch.Api.Selectors.Selector.FromLabels(s).ToString() : null;

    string? IPodOwner.PodNode => null;
}
