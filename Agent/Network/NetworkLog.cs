using Microsoft.Extensions.Logging;

namespace GitOrch.Agent.Network;

internal static partial class NetworkLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Pod network: conflist {Path} (network {Name}, plugins {Plugins}), podCIDR {PodCidr}")]
    public static partial void ConfList(ILogger logger, string path, string name, string plugins, string podCidr);

    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Pod network: released {Count} address(es) no running sandbox holds: {Addresses}")]
    public static partial void AddressesReleased(ILogger logger, int count, string addresses);

    [LoggerMessage(EventId = 402, Level = LogLevel.Debug, Message = "sandbox of {Namespace}/{Pod} ({Id}) has address {IP}")]
    public static partial void SandboxReady(ILogger logger, string @namespace, string pod, string id, string ip);

    [LoggerMessage(EventId = 403, Level = LogLevel.Warning, Message = "CNI DEL of sandbox {Id} failed (its address is freed at the next agent start): {Message}")]
    public static partial void DelFailed(ILogger logger, string id, string message);

    [LoggerMessage(EventId = 404, Level = LogLevel.Information, Message = "Service proxy mode {Mode}: {Why}")]
    public static partial void ProxyMode(ILogger logger, string mode, string why);

    [LoggerMessage(EventId = 405, Level = LogLevel.Warning, Message = "iptables sync failed: {Message}")]
    public static partial void IptablesFailed(ILogger logger, string message);

    [LoggerMessage(EventId = 406, Level = LogLevel.Information, Message = "cluster DNS listening on {Endpoint}")]
    public static partial void DnsListening(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 408, Level = LogLevel.Warning, Message = "cluster DNS could not listen on {Endpoint} yet: {Message}")]
    public static partial void DnsBindFailed(ILogger logger, string endpoint, string message);

    [LoggerMessage(EventId = 407, Level = LogLevel.Warning, Message = "route to node {Node}'s podCIDR {Cidr} via {Via} failed: {Message}")]
    public static partial void RouteFailed(ILogger logger, string node, string cidr, string via, string message);
}
