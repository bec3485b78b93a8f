using GitOrch.Agent.Probes;
using GitOrch.Agent.Runtime;
using GitOrch.Api.Client;
using Microsoft.Extensions.Logging;

namespace GitOrch.Agent.Pods;

/// <summary>What every Pod worker of one agent shares.</summary>
public sealed class PodWorkerContext
{
    public required AgentOptions Options { get; init; }
    public required GitOrchClient Client { get; init; }
    public required IContainerRuntime Docker { get; init; }
    public required VolumeManager Volumes { get; init; }
    public required PodEventRecorder Events { get; init; }
    public required ProbeRunner Probes { get; init; }
    public required ILogger Logger { get; init; }

    /// <summary>The node's Pod network; null: every Pod on the host's network.</summary>
    public Network.PodNetwork? Network { get; init; }

    /// <summary>Bounds concurrent create+start calls (<c>--max-parallel-starts</c>).</summary>
    public required SemaphoreSlim StartGate { get; init; }

    public TimeProvider Time => Options.Time;
    public string NodeName => Options.NodeName;
    public string NodeIP => Options.NodeIP;
}
