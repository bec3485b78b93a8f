namespace GitOrch.Agent.Pods;

/// <summary>Why a container is not running yet: a Kubernetes waiting reason (ErrImagePull, CrashLoopBackOff, ...) and its message.</summary>
public sealed record ContainerWaiting(string Reason, string? Message);
