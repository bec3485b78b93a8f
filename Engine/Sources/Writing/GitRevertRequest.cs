namespace GitOrch.Engine.Sources.Writing;

/// <summary>Body of the <c>revert</c> subresource.</summary>
public sealed class GitRevertRequest
{
    /// <summary>The commit to revert.</summary>
    public string Commit { get; set; } = "";

    /// <summary>Branch to put the revert on: default the tracked branch; a branch that does not exist is created off it (for a PR).</summary>
    public string? Branch { get; set; }

    public string? Message { get; set; }
    public string? AuthorName { get; set; }
    public string? AuthorEmail { get; set; }
}
