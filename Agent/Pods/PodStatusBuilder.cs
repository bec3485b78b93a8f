using GitOrch.Agent.Runtime;
using GitOrch.Api.Model;

namespace GitOrch.Agent.Pods;

/// <summary>
/// Computes a Pod's status from what Docker reports and what the worker knows (waiting reasons, probe results).
/// A pure function: the same inputs give the same status, so the worker writes only real changes.
/// </summary>
public static class PodStatusBuilder
{
    public sealed record Input
    {
        public required Pod Pod { get; init; }
        public required IReadOnlyList<ContainerInstance> Instances { get; init; }

        /// <summary>Keyed by <see cref="Key"/>.</summary>
        public required IReadOnlyDictionary<string, ContainerWaiting> Waiting { get; init; }

        /// <summary>(ready, started) of a running instance, by container id.</summary>
        /// <summary>Probe results by container id; null while no prober runs for it yet.</summary>
        public required Func<string, (bool Ready, bool Started)?> Probes { get; init; }
        public required string NodeIP { get; init; }

        /// <summary>The Pod's own address (its sandbox's, or the node's with host networking); null while it has none.</summary>
        public string? PodIP { get; init; }
        public required DateTimeOffset Now { get; init; }
        public required bool InitDone { get; init; }
        public required bool InitFailed { get; init; }
    }

    public static string Key(bool isInit, string name) => (isInit ? "init/" : "app/") + name;

    public static PodStatus Build(Input input)
    {
        var pod = input.Pod;
        var spec = pod.Spec ?? new PodSpec();
        var old = pod.Status ?? new PodStatus();
        var policy = spec.RestartPolicy ?? "Always";

        var initStatuses = (spec.InitContainers ?? []).Select(c => ContainerStatusOf(input, c, true, input.InitDone ? null : "PodInitializing")).ToList();
        var appStatuses = spec.Containers.Select(c => ContainerStatusOf(input, c, false, input.InitDone ? "ContainerCreating" : "PodInitializing")).ToList();

        string phase;
        if (input.InitFailed)
        {
            phase = PodPhases.Failed;
        }
        else if (!input.InitDone)
        {
            phase = PodPhases.Pending;
        }
        else
        {
            var latest = spec.Containers.Select(c => Latest(input.Instances, false, c.Name)).ToList();
            var allDone = latest.All(i => i is { Exited: true } && !RestartBackoff.ShouldRestart(policy, i.ExitCode) && !input.Waiting.ContainsKey(Key(false, i.ContainerName)));
            if (latest.Count > 0 && allDone)
            {
                phase = latest.All(i => i!.ExitCode == 0 && !i.NeverStarted) ? PodPhases.Succeeded : PodPhases.Failed;
            }
            else if (latest.Count > 0 && latest.All(i => i != null) && latest.Any(i => i!.Running || RestartBackoff.ShouldRestart(policy, i.ExitCode)))
            {
                phase = PodPhases.Running;
            }
            else
            {
                phase = PodPhases.Pending;
            }
        }

        var containersReady = appStatuses.Count > 0 && appStatuses.All(s => s.Ready);
        var status = new PodStatus
        {
            Phase = phase,
            HostIP = input.NodeIP,
            PodIP = input.PodIP,
            PodIPs = input.PodIP == null ? null : [new PodIP { Ip = input.PodIP }],
            StartTime = old.StartTime ?? input.Now,
            InitContainerStatuses = initStatuses.Count == 0 ? null : initStatuses,
            ContainerStatuses = appStatuses,
            Conditions =
            [
                ConditionOf(old, ConditionTypes.PodScheduled, true, null, input.Now),
                ConditionOf(old, ConditionTypes.Initialized, input.InitDone, input.InitDone ? null : "ContainersNotInitialized", input.Now),
                ConditionOf(old, ConditionTypes.ContainersReady, containersReady, containersReady ? null : "ContainersNotReady", input.Now),
                ConditionOf(old, ConditionTypes.Ready, containersReady && !PodPhases.IsTerminal(phase), containersReady ? (PodPhases.IsTerminal(phase) ? "PodCompleted" : null) : "ContainersNotReady", input.Now),
            ],
        };
        return status;
    }

    private static ContainerStatus ContainerStatusOf(Input input, Container c, bool isInit, string? defaultWaiting)
    {
        var list = input.Instances.Where(i => i.IsInit == isInit && i.ContainerName == c.Name).OrderBy(i => i.Attempt).ToList();
        var latest = list.LastOrDefault();
        var previous = list.Count > 1 ? list[^2] : null;
        input.Waiting.TryGetValue(Key(isInit, c.Name), out var waiting);

        var status = new ContainerStatus
        {
            Name = c.Name,
            Image = c.Image,
            ImageID = latest?.ImageId,
            ContainerID = latest == null ? null : "docker://" + latest.Id,
            RestartCount = latest?.Attempt ?? 0,
        };

        if (latest is { Running: true })
        {
            // Until its prober runs, a container with a readiness or startup probe is not ready: reporting it ready
            // for that moment would put an unready Pod into a Service's rotation.
            var (ready, started) = input.Probes(latest.Id) ?? (c.ReadinessProbe == null && c.StartupProbe == null, c.StartupProbe == null);
            status.State = new ContainerState { Running = new ContainerStateRunning { StartedAt = latest.StartedAt } };
            status.Ready = ready;
            status.Started = started;
            status.LastState = previous == null ? new ContainerState() : new ContainerState { Terminated = Terminated(previous) };
        }
        else if (waiting != null)
        {
            status.State = new ContainerState { Waiting = new ContainerStateWaiting { Reason = waiting.Reason, Message = waiting.Message } };
            status.LastState = latest == null ? new ContainerState() : new ContainerState { Terminated = Terminated(latest) };
            status.Started = false;
        }
        else if (latest != null)
        {
            status.State = new ContainerState { Terminated = Terminated(latest) };
            status.LastState = previous == null ? new ContainerState() : new ContainerState { Terminated = Terminated(previous) };
            status.Started = false;
            status.Ready = false;
        }
        else
        {
            status.State = new ContainerState { Waiting = new ContainerStateWaiting { Reason = defaultWaiting ?? "ContainerCreating" } };
            status.LastState = new ContainerState();
            status.Started = false;
        }

        // Init containers that completed count as ready, as in Kubernetes.
        if (isInit && latest is { Exited: true, ExitCode: 0, NeverStarted: false })
        {
            status.Ready = true;
        }

        return status;
    }

    public static ContainerStateTerminated Terminated(ContainerInstance i) => new()
    {
        ExitCode = (int)i.ExitCode,
        Reason = i.NeverStarted ? "StartError" : i.OomKilled ? "OOMKilled" : i.ExitCode == 0 ? "Completed" : "Error",
        Message = i.Error,
        StartedAt = i.StartedAt,
        FinishedAt = i.FinishedAt,
        ContainerID = "docker://" + i.Id,
    };

    private static ContainerInstance? Latest(IReadOnlyList<ContainerInstance> instances, bool isInit, string name)
        => instances.Where(i => i.IsInit == isInit && i.ContainerName == name).MaxBy(i => i.Attempt);

    private static Condition ConditionOf(PodStatus old, string type, bool value, string? reason, DateTimeOffset now)
    {
        var status = value ? ConditionStatus.True : ConditionStatus.False;
        var previous = old.Conditions?.FirstOrDefault(c => c.Type == type);
        return new Condition
        {
            Type = type,
            Status = status,
            Reason = reason,
            LastTransitionTime = previous != null && previous.Status == status ? previous.LastTransitionTime ?? now : now,
        };
    }
}
