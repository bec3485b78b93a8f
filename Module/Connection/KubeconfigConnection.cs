namespace GitOrch.Module.Connection;

/// <summary>What one kubeconfig context says about where and how to connect.</summary>
internal sealed class KubeconfigConnection
{
    public string Server { get; set; } = "";
    public string? CaPem { get; set; }
    public string? CaFile { get; set; }
    public string? Token { get; set; }
    public string? TokenFile { get; set; }
    public string? Namespace { get; set; }
    public string Context { get; set; } = "";
}
