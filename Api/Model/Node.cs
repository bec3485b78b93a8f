using System.Collections.Generic;

namespace GitOrch.Api.Model;

public sealed class Node : KubeObject<NodeSpec, NodeStatus>
{
}

public sealed class NodeSpec : Extensible
{
    public bool? Unschedulable { get; set; }
    public List<Taint>? Taints { get; set; }
    public string? PodCIDR { get; set; }
    public List<string>? PodCIDRs { get; set; }
    public string? ProviderID { get; set; }
}

public sealed class Taint : Extensible
{
    public string Key { get; set; } = "";
    public string? Value { get; set; }
    /// <summary>NoSchedule, PreferNoSchedule, NoExecute.</summary>
    public string Effect { get; set; } = "";
    public System.DateTimeOffset? TimeAdded { get; set; }
}

public sealed class NodeStatus : Extensible
{
    public Dictionary<string, Quantity>? Capacity { get; set; }
    public Dictionary<string, Quantity>? Allocatable { get; set; }
    public List<Condition>? Conditions { get; set; }
    public List<NodeAddress>? Addresses { get; set; }
    public NodeDaemonEndpoints? DaemonEndpoints { get; set; }
    public NodeSystemInfo? NodeInfo { get; set; }
}

public sealed class NodeAddress : Extensible
{
    /// <summary>InternalIP, Hostname, ExternalIP.</summary>
    public string Type { get; set; } = "";
    public string Address { get; set; } = "";
}

public sealed class NodeDaemonEndpoints : Extensible
{
    public DaemonEndpoint? KubeletEndpoint { get; set; }
}

public sealed class DaemonEndpoint : Extensible
{
    public int Port { get; set; }
}

public sealed class NodeSystemInfo : Extensible
{
    public string? Architecture { get; set; }
    public string? OperatingSystem { get; set; }
    public string? KernelVersion { get; set; }
    public string? ContainerRuntimeVersion { get; set; }
    public string? KubeletVersion { get; set; }
    public string? MachineID { get; set; }
}
