using System.Net;

namespace GitOrch.Agent.Proxy;

/// <summary>One port the proxy listens on and the endpoints it forwards to.</summary>
/// <param name="Listen">Proxy address and Service port, or node address and nodePort.</param>
/// <param name="Name">"namespace/service:port" (with " (nodePort)" for node ports), for logs.</param>
/// <param name="Backends">Ready endpoints, de-duplicated and sorted; empty: refuse connections.</param>
internal sealed record ProxyRoute(IPEndPoint Listen, string Name, IPEndPoint[] Backends);
