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
    public SessionAffinityConfig? SessionAffinityConfig { get; set; }
    public bool? PublishNotReadyAddresses { get; set; }

    /// <summary>Cluster (default): NodePort traffic may go to any node's endpoints; Local: only to this node's, keeping the client address.</summary>
    public string? ExternalTrafficPolicy { get; set; }

    /// <summary>Cluster (default) or Local: ClusterIP traffic from a Pod goes only to endpoints on its own node.</summary>
    public string? InternalTrafficPolicy { get; set; }
}

public sealed class SessionAffinityConfig : Extensible
{
    public ClientIPConfig? ClientIP { get; set; }
}

public sealed class ClientIPConfig : Extensible
{
    /// <summary>How long a client sticks to its endpoint; Kubernetes' default is 10800 (3 hours).</summary>
    public int? TimeoutSeconds { get; set; }
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
