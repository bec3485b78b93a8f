namespace GitOrch.Engine.Sources.Fetch;

/// <summary>A reference as the remote advertises it (<c>git ls-remote</c>).</summary>
public sealed record RemoteRef(string Name, string Sha);
