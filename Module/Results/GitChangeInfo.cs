namespace GitOrch.Module.Results;

/// <summary>A change the module made through Git: the branch and commit to open a pull request from (or that reverted one).</summary>
public sealed class GitChangeInfo
{
    public GitChangeInfo(string action, string kind, string name, string? ns, string source, string? branch, string? commit, string message, string[] files)
    {
        Action = action;
        Kind = kind;
        Name = name;
        Namespace = ns;
        Source = source;
        Branch = branch;
        Commit = commit;
        Message = message;
        Files = files;
    }

    /// <summary>Propose (New-/Set-Deployment) or Revert (Undo-Deployment).</summary>
    public string Action { get; }

    public string Kind { get; }

    public string Name { get; }

    public string? Namespace { get; }

    /// <summary>"namespace/name" of the GitSource that wrote the commit.</summary>
    public string Source { get; }

    public string? Branch { get; }

    public string? Commit { get; }

    public string Message { get; }

    public string[] Files { get; }
}
