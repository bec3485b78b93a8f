using Microsoft.Extensions.Logging;

namespace GitOrch.Agent;

/// <summary>The agent's log messages (source-generated: no formatting cost when the level is off).</summary>
internal static partial class AgentLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "event {Reason} for pod {Namespace}/{Pod} not recorded: {Error}")]
    public static partial void EventNotRecorded(ILogger logger, string reason, string? @namespace, string pod, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "pod {Pod}: docker unavailable: {Error}")]
    public static partial void DockerUnavailable(ILogger logger, string pod, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "pod {Pod}: sync failed, retrying: {Error}")]
    public static partial void SyncFailed(ILogger logger, string pod, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "pod watch failed, listing again: {Error}")]
    public static partial void WatchFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "removing container {Container} of pod uid {PodUid}: the pod no longer exists")]
    public static partial void RemovingOrphan(ILogger logger, string container, string podUid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "node {Node}: heartbeat failed: {Error}")]
    public static partial void HeartbeatFailed(ILogger logger, string node, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "node {Node}: container runtime unreachable: {Error}")]
    public static partial void RuntimeDown(ILogger logger, string node, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "node {Node}: container runtime reachable again")]
    public static partial void RuntimeUp(ILogger logger, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "agent for node {Node} ({Address}) serving logs on port {LogPort}")]
    public static partial void Started(ILogger logger, string node, string address, int logPort);

    [LoggerMessage(Level = LogLevel.Debug, Message = "docker events stream ended: {Error}")]
    public static partial void EventsEnded(ILogger logger, string error);
}
