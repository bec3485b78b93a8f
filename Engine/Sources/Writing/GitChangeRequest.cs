namespace GitOrch.Engine.Sources.Writing;

/// <summary>Body of the <c>commits</c> subresource: files to write (null content deletes) and a message.</summary>
public sealed class GitChangeRequest
{
    public Dictionary<string, string?> Files { get; set; } = new();
    public string Message { get; set; } = "";

    /// <summary>Branch to commit to; when it does not exist it is created off <see cref="Base"/>. Default: a new gitorch/change-... branch.</summary>
    public string? Branch { get; set; }

    /// <summary>Branch a new branch starts from; default the tracked branch.</summary>
    public string? Base { get; set; }

    /// <summary>When set, the commit this change was prepared against; a branch that moved since is refused (409).</summary>
    public string? Parent { get; set; }

    public string? AuthorName { get; set; }
    public string? AuthorEmail { get; set; }
}
