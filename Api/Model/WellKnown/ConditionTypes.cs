namespace GitOrch.Api.Model;

/// <summary>Condition types GitOrch writes or reads, by the kind that carries them (Kubernetes' names).</summary>
public static class ConditionTypes
{
    /// <summary>Node and Pod: ready for work (a Node's kubelet posts it, a Pod's readiness).</summary>
    public const string Ready = "Ready";

    /// <summary>Pod: bound to a node by the scheduler.</summary>
    public const string PodScheduled = "PodScheduled";

    /// <summary>Pod: every init container has completed.</summary>
    public const string Initialized = "Initialized";

    /// <summary>Pod: every container is ready.</summary>
    public const string ContainersReady = "ContainersReady";

    /// <summary>Deployment: at least minAvailable replicas are available.</summary>
    public const string Available = "Available";

    /// <summary>Deployment: the rollout progresses or has completed (False once the progress deadline is exceeded).</summary>
    public const string Progressing = "Progressing";

    /// <summary>Job: all completions reached.</summary>
    public const string Complete = "Complete";

    /// <summary>Job: backoffLimit or activeDeadlineSeconds exceeded.</summary>
    public const string Failed = "Failed";

    /// <summary>Job: spec.suspend is in effect.</summary>
    public const string Suspended = "Suspended";
}
