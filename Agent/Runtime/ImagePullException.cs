namespace GitOrch.Agent.Runtime;

/// <summary>The registry refused the pull (unauthorized, not found, ...); the message is the registry's.</summary>
public sealed class ImagePullException(string message, Exception? inner = null) : Exception(message, inner);
