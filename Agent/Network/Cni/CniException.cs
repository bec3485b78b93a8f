namespace GitOrch.Agent.Network.Cni;

/// <summary>A CNI plugin failed or could not run; the message names the plugin, the command and what it said.</summary>
public sealed class CniException(string message, Exception? inner = null) : Exception(message, inner);
