namespace GitOrch.Agent;

/// <summary>The agent's identity constants: labels every container it owns carries.</summary>
public static class AgentLabels
{
    public const string NodeName = "gitorch.io/node";
    public const string PodUid = "gitorch.io/pod-uid";
    public const string PodNamespace = "gitorch.io/pod-namespace";
    public const string PodName = "gitorch.io/pod-name";
    public const string ContainerName = "gitorch.io/container";

    /// <summary>0 for the first instance of a container, n for its n-th restart (= restartCount).</summary>
    public const string Attempt = "gitorch.io/attempt";

    /// <summary>Position in the crash back-off sequence (reset after 10 minutes of running).</summary>
    public const string BackoffStep = "gitorch.io/backoff-step";

    /// <summary>"init", "app", or "sandbox" (the container holding the Pod's network namespace).</summary>
    public const string ContainerKind = "gitorch.io/container-kind";

    /// <summary>The <see cref="ContainerKind"/> of a Pod sandbox.</summary>
    public const string SandboxKind = "sandbox";
}
