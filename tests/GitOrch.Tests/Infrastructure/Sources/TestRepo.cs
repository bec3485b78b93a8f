namespace GitOrch.Tests.Infrastructure.Sources;

/// <summary>
/// A bare "server" repository plus a working clone to author commits in, both made with the git CLI.
/// </summary>
public sealed class TestRepo
{
    public TestRepo(string root, string name = "repo")
    {
        Root = root;
        BarePath = Path.Combine(root, name + ".git");
        WorkPath = Path.Combine(root, name + "-work");
        Directory.CreateDirectory(BarePath);
        Git.Run(BarePath, "init", "--bare", "-q", "-b", "main");
        Git.Run(BarePath, "config", "http.receivepack", "true");
        Git.Run(root, "clone", "-q", BarePath, WorkPath);
        Git.Run(WorkPath, "checkout", "-q", "-b", "main");
    }

    public string Root { get; }
    public string BarePath { get; }
    public string WorkPath { get; }
    public string FileUrl => "file://" + BarePath;

    public TestRepo Write(string path, string content)
    {
        var full = Path.Combine(WorkPath, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return this;
    }

    public TestRepo Delete(string path)
    {
        File.Delete(Path.Combine(WorkPath, path));
        return this;
    }

    /// <summary>Commits everything and pushes the current branch (or a given remote ref); returns the sha.</summary>
    public string Commit(string message, string? pushTo = null)
    {
        Git.Run(WorkPath, "add", "-A");
        Git.Run(WorkPath, "commit", "-q", "--allow-empty", "-m", message);
        var branch = Git.Run(WorkPath, "rev-parse", "--abbrev-ref", "HEAD");
        Git.Run(WorkPath, "push", "-q", "-f", "origin", "HEAD:" + (pushTo ?? "refs/heads/" + branch));
        return Head;
    }

    public string Head => Git.Run(WorkPath, "rev-parse", "HEAD");

    public void Checkout(string branch, bool create = false)
    {
        if (create)
        {
            Git.Run(WorkPath, "checkout", "-q", "-b", branch);
        }
        else
        {
            Git.Run(WorkPath, "checkout", "-q", branch);
        }
    }

    public string RemoteSha(string reference) => Git.Run(BarePath, "rev-parse", reference);

    public string RemoteFile(string reference, string path) => Git.Run(BarePath, "show", reference + ":" + path);

    public void DeleteRemoteRef(string reference) => Git.Run(BarePath, "update-ref", "-d", reference);
}
