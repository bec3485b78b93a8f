using System.Linq;
using GitOrch.Api.Model;

namespace GitOrch.Module.Results;

/// <summary>A Pod as Get-Pod shows it (kubectl get pods columns).</summary>
public sealed class PodInfo : ResourceInfo<Pod>
{
    public PodInfo(Pod pod)
        : base(pod)
    {
        var statuses = pod.Status?.ContainerStatuses;
        TotalContainers = pod.Spec?.Containers.Count ?? 0;
        ReadyContainers = statuses?.Count(s => s.Ready) ?? 0;
        Restarts = statuses?.Sum(s => s.RestartCount) ?? 0;
        Node = pod.Spec?.NodeName;
        IP = pod.Status?.PodIP;
        Phase = pod.Status?.Phase ?? PodPhases.Pending;
        Status = StatusOf(pod);
    }

    public string Ready => ReadyContainers + "/" + TotalContainers;

    public int ReadyContainers { get; }

    public int TotalContainers { get; }

    /// <summary>What kubectl's STATUS column shows: a waiting/terminated reason (CrashLoopBackOff, Completed, ...), Terminating, or the phase.</summary>
    public string Status { get; }

    public string Phase { get; }

    public int Restarts { get; }

    public string? Node { get; }

    public string? IP { get; }

    private static string StatusOf(Pod pod)
    {
        if (pod.Metadata.DeletionTimestamp != null)
        {
            return "Terminating";
        }

        var reason = pod.Status?.Reason;
        foreach (var s in pod.Status?.ContainerStatuses ?? Enumerable.Empty<ContainerStatus>())
        {
            if (s.State?.Waiting?.Reason is { Length: > 0 } waiting)
            {
                reason = waiting;
            }
            else if (s.State?.Terminated is { } t)
            {
                reason = t.Reason ?? (t.Signal is int sig ? "Signal:" + sig : "ExitCode:" + t.ExitCode);
            }
        }

        return string.IsNullOrEmpty(reason) ? pod.Status?.Phase ?? PodPhases.Pending : reason!;
    }
}
