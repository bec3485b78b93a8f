namespace GitOrch.Engine.Sources.Writing;

/// <summary>What a write pushed: the branch and the new commit.</summary>
public sealed record GitChangeResult(string Branch, string Commit, bool CreatedBranch);
