namespace GitOrch.Engine.Sources.Loading;

/// <summary>A manifest file found in a commit: its content, or why it could not be read.</summary>
public sealed record ManifestFile(string Path, string? Content, string? Error = null);
