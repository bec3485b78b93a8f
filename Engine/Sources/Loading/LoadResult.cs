namespace GitOrch.Engine.Sources.Loading;

/// <summary>Everything loaded from one commit: objects, and every error and warning (never only the first).</summary>
public sealed class LoadResult
{
    public List<Manifest> Manifests { get; } = new();
    public List<ManifestIssue> Errors { get; } = new();
    public List<ManifestIssue> Warnings { get; } = new();
    public int Files { get; set; }
}
