namespace GitOrch.Engine.Sources.Loading;

/// <summary>
/// Bounds that keep a hostile or broken repository from exhausting the Engine. Each one, when hit,
/// is a clear validation error naming the file, never a crash or a silent truncation.
/// </summary>
public sealed class LoaderLimits
{
    /// <summary>Largest manifest file read (default 1 MiB).</summary>
    public long MaxFileBytes { get; init; } = 1024 * 1024;

    /// <summary>Largest single YAML document (default 256 KiB).</summary>
    public int MaxDocumentBytes { get; init; } = 256 * 1024;

    /// <summary>Nodes one document may expand to, aliases included (default 20,000): stops alias bombs.</summary>
    public int MaxNodesPerDocument { get; init; } = 20_000;

    /// <summary>Objects one source may define (default 5,000).</summary>
    public int MaxObjects { get; init; } = 5_000;

    /// <summary>Manifest files one source may contain (default 5,000).</summary>
    public int MaxFiles { get; init; } = 5_000;

    /// <summary>Nesting depth of a document (default 64).</summary>
    public int MaxDepth { get; init; } = 64;

    public static LoaderLimits Default { get; } = new();
}
