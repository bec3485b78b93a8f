using System.Net;

namespace GitOrch.Agent.Proxy;

/// <summary>Where and how one agent's Service proxy listens.</summary>
public sealed class ServiceProxyOptions
{
    /// <summary>This agent's Node name (logs).</summary>
    public string NodeName { get; set; } = "";

    /// <summary>The node's address: NodePorts listen here (on every agent).</summary>
    public IPAddress NodeAddress { get; set; } = IPAddress.Loopback;

    /// <summary>
    /// Where Service ports listen (<c>--proxy-address</c>); null: <see cref="NodeAddress"/>. GitOrch gives Services no
    /// virtual IPs, so this address and the Service's port are how every Pod on this node reaches a Service.
    /// </summary>
    public IPAddress? ProxyAddress { get; set; }

    public IPAddress EffectiveProxyAddress => ProxyAddress ?? NodeAddress;

    /// <summary>How long a connect to one endpoint may take before the next is tried. Default 2 s (loopback refusals are immediate).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Bytes per copy buffer; each open connection holds two, rented from the shared pool. Default 16 KiB.</summary>
    public int BufferSize { get; set; } = 16 * 1024;

    /// <summary>Listen backlog per port. Default 512.</summary>
    public int Backlog { get; set; } = 512;

    /// <summary>How often ports that could not be bound (address in use) are tried again. Default 2 s.</summary>
    public TimeSpan RebindInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Move bytes with the single-threaded epoll loop (Linux x64/arm64; default true) instead of per-connection async
    /// copy loops. Same behaviour, roughly half the CPU per proxied message.
    /// </summary>
    public bool UseEpoll { get; set; } = true;

    /// <summary>Delay before the Service/Endpoints watch is retried after a failure. Default 1 s.</summary>
    public TimeSpan WatchRetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}
