namespace GitOrch.Api.Client;

/// <summary>Query of <c>GET .../pods/{name}/log</c>, with Kubernetes' parameter names.</summary>
public sealed class PodLogOptions
{
    public string? Container { get; set; }
    public bool Follow { get; set; }
    public bool Previous { get; set; }
    public int? TailLines { get; set; }
    public bool Timestamps { get; set; }
}
