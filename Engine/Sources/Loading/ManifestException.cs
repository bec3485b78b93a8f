namespace GitOrch.Engine.Sources.Loading;

/// <summary>Stops reading one document or file; becomes a <see cref="ManifestIssue"/> at that line.</summary>
public sealed class ManifestException : Exception
{
    public ManifestException(int line, string message)
        : base(message) => Line = line;

    public int Line { get; }
}
