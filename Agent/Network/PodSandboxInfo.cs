namespace GitOrch.Agent.Network;

/// <summary>A Pod's running sandbox: the container whose network namespace the Pod's containers join, and its address.</summary>
public sealed record PodSandboxInfo
{
    public required string ContainerId { get; init; }

    /// <summary>The Pod's IP (status.podIP).</summary>
    public required string IP { get; init; }

    /// <summary>The Pods' gateway on this node (the bridge's address), where the node-local DNS server listens.</summary>
    public string? Gateway { get; init; }

    /// <summary>Made in this call: containers left from an earlier sandbox must be recreated inside this one.</summary>
    public bool Fresh { get; init; }
}
