using System.Collections.Generic;

namespace GitOrch.Api.Model;

public sealed class Endpoints : KubeObject
{
    public List<EndpointSubset>? Subsets { get; set; }
}

public sealed class EndpointSubset : Extensible
{
    public List<EndpointAddress>? Addresses { get; set; }
    public List<EndpointAddress>? NotReadyAddresses { get; set; }
    public List<EndpointPort>? Ports { get; set; }
}

public sealed class EndpointAddress : Extensible
{
    public string Ip { get; set; } = "";
    public string? Hostname { get; set; }
    public string? NodeName { get; set; }
    public ObjectReference? TargetRef { get; set; }
}

public sealed class EndpointPort : Extensible
{
    public string? Name { get; set; }
    public int Port { get; set; }
    public string? Protocol { get; set; }
}
