namespace GitOrch.Agent.Runtime;

/// <summary>The Docker engine did not answer (socket missing, refused, timed out): nothing about the Pod is known.</summary>
public sealed class DockerUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
