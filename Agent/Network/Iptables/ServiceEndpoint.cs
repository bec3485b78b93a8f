namespace GitOrch.Agent.Network.Iptables;

/// <summary>One ready endpoint of a Service port: Pod address, target port, and the node it runs on (for the Local traffic policies).</summary>
public sealed record ServiceEndpoint(string Ip, int Port, string? NodeName);
