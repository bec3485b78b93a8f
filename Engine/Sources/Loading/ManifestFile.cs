namespace GitOrch.Engine.Sources.Loading;

/// <summary>
/// A manifest file found in a commit: its content (or a reader for it), or why it could not be read.
/// <see cref="BlobId"/> identifies the content, so an unchanged file is not parsed again.
/// </summary>
public sealed record ManifestFile(string Path, string? Content, string? Error = null, string? BlobId = null, Func<string>? ReadContent = null)
{
    public string? Text => Content ?? ReadContent?.Invoke();
}
