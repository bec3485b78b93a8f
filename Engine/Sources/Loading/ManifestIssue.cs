namespace GitOrch.Engine.Sources.Loading;

/// <summary>An error or warning about a manifest, pinned to the file and line a person has to open.</summary>
public sealed record ManifestIssue(string File, int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Message}" : $"{File}: {Message}";
}
