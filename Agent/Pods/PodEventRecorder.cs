using GitOrch.Api.Client;
using GitOrch.Api.Model;
using Microsoft.Extensions.Logging;

namespace GitOrch.Agent.Pods;

/// <summary>
/// Writes Pod Events (Pulling, Pulled, Failed, Started, Killing, BackOff, Unhealthy) through the HTTP API. Events
/// are best effort: a failed write is logged, never retried, and never blocks the Pod.
/// </summary>
public sealed class PodEventRecorder(GitOrchClient client, string nodeName, TimeProvider time, ILogger logger)
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";

    public async Task RecordAsync(Pod pod, string? containerName, string type, string reason, string message, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var ev = new Event
        {
            Metadata = new ObjectMeta
            {
                Name = $"{pod.Name}.{Guid.NewGuid().ToString("N")[..16]}",
                Namespace = pod.Namespace ?? "default",
            },
            InvolvedObject = new ObjectReference
            {
                ApiVersion = "v1",
                Kind = "Pod",
                Name = pod.Name,
                Namespace = pod.Namespace ?? "default",
                Uid = pod.Metadata.Uid,
                FieldPath = containerName == null ? null : $"spec.containers{{{containerName}}}",
            },
            Reason = reason,
            Message = message,
            Type = type,
            Source = new EventSource { Component = "gitorch-agent", Host = nodeName },
            ReportingComponent = "gitorch-agent",
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
        };
        try
        {
            await client.CreateAsync(ev, ct);
        }
        catch (Exception e) when (e is GitOrchApiException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            AgentLog.EventNotRecorded(logger, reason, pod.Namespace, pod.Name, e.Message);
        }
    }
}
