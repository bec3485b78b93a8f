namespace GitOrch.Agent.Pods;

/// <summary>
/// The Pod asks for something that does not exist (a ConfigMap, a key of a Secret, ...): the container cannot be
/// created until the user fixes it. Reported as waiting reason CreateContainerConfigError, retried on resync.
/// </summary>
public sealed class ContainerConfigException(string message) : Exception(message);
