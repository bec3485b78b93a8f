using GitOrch.Engine.Controllers.Nodes;
using GitOrch.Engine.Controllers.ReplicaSets;
using GitOrch.Engine.Runtime;
using GitOrch.Engine.Scheduling;

namespace GitOrch.Engine.Controllers;

/// <summary>Everything <see cref="ControllerServiceCollectionExtensions.AddGitOrchControllers"/> sets up, with the defaults documented on each class.</summary>
public sealed class GitOrchControllerOptions
{
    public ControllerOptions Controllers { get; set; } = new();

    public ReplicaSetOptions ReplicaSets { get; set; } = new();

    public NodeLifecycleOptions NodeLifecycle { get; set; } = new();

    public SchedulerOptions Scheduler { get; set; } = new();

    /// <summary>Run the scheduler in this process (default true).</summary>
    public bool EnableScheduler { get; set; } = true;

    /// <summary>Run the node lifecycle controller (default true). Benchmarks with nodes that never heartbeat turn it off.</summary>
    public bool EnableNodeLifecycle { get; set; } = true;

    /// <summary>Run the garbage collector (default true).</summary>
    public bool EnableGarbageCollector { get; set; } = true;
}
