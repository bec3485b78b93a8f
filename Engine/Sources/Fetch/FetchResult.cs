namespace GitOrch.Engine.Sources.Fetch;

/// <summary>The commit a ref resolved to; <see cref="Fetched"/> is false when the cache already had it.</summary>
public sealed record FetchResult(string? RefName, string Commit, bool Fetched);
