namespace GitOrch.Module.Connection;

/// <summary>The CA of a context: a PEM file (read at use) or PEM text; <see cref="Source"/> names where it came from.</summary>
internal sealed class ContextCa
{
    public static readonly ContextCa None = new();

    public string? File { get; set; }

    public string? Pem { get; set; }

    public string Source { get; set; } = "";
}
