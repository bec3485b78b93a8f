namespace GitOrch.Agent;

/// <summary>The agent's identity constants: labels every container it owns carries.</summary>
public static class AgentLabels
{
    public const string NodeName = "gitorch.io/node";
    public const string PodUid = "gitorch.io/pod-uid";
    public const string PodNamespace = "gitorch.io/pod-namespace";
    public const string PodName = "gitorch.io/pod-name";
    public const string ContainerName = "gitorch.io/container";
}
