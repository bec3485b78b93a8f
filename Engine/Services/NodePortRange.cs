namespace GitOrch.Engine.Services;

/// <summary>
/// The ports a NodePort Service may take on every node, Kubernetes' default range 30000-32767. Every agent listens
/// on its node address at each allocated nodePort, so the range should hold ports nothing else on the hosts uses.
/// </summary>
public sealed record NodePortRange(int First = NodePortRange.DefaultFirst, int Last = NodePortRange.DefaultLast)
{
    public const int DefaultFirst = 30000;
    public const int DefaultLast = 32767;

    public static NodePortRange Default { get; } = new();

    public int Size => Last - First + 1;

    public bool Contains(int port) => port >= First && port <= Last;

    public override string ToString() => $"{First}-{Last}";
}
