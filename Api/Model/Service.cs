using System.Collections.Generic;

namespace GitOrch.Api.Model;

public sealed class Service : KubeObject<ServiceSpec, ServiceStatus>
{
}

public sealed class ServiceSpec : Extensible
{
    public Dictionary<string, string>? Selector { get; set; }
    public List<ServicePort>? Ports { get; set; }
    /// <summary>ClusterIP (default) or NodePort.</summary>
    public string? Type { get; set; }
    public string? ClusterIP { get; set; }
    public List<string>? ClusterIPs { get; set; }
    public string? SessionAffinity { get; set; }
    public bool? PublishNotReadyAddresses { get; set; }
}

public sealed class ServicePort : Extensible
{
    public string? Name { get; set; }
    public string? Protocol { get; set; }
    public int Port { get; set; }
    public IntOrString? TargetPort { get; set; }
    public int? NodePort { get; set; }
}

public sealed class ServiceStatus : Extensible
{
    public LoadBalancerStatus? LoadBalancer { get; set; }
}

public sealed class LoadBalancerStatus : Extensible
{
}
