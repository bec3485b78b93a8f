using System.Linq;
using GitOrch.Api.Model;

namespace GitOrch.Module.Results;

/// <summary>A Service: NAME TYPE CLUSTER-IP PORT(S) AGE.</summary>
public sealed class ServiceInfo : ResourceInfo<Service>
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
}
