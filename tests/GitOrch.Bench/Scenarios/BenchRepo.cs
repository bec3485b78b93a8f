using System.Diagnostics;

namespace GitOrch.Bench.Scenarios;

/// <summary>A bare repository and a work tree under a temp dir; the Engine fetches the bare one by <c>file://</c> URL.</summary>
internal sealed class BenchRepo
{
    private BenchRepo(string root)
    {
        Root = root;
        Bare = Path.Combine(root, "repo.git");
        Work = Path.Combine(root, "work");
    }

    public string Root { get; }
    public string Bare { get; }
    public string Work { get; }
    public string FileUrl => "file://" + Bare;

    public static BenchRepo Create(string root)
    {
        var repo = new BenchRepo(root);
        Directory.CreateDirectory(root);
        Git(root, "init", "-q", "--bare", "-b", "main", repo.Bare);
        Git(root, "init", "-q", "-b", "main", repo.Work);
        return repo;
    }

    public BenchRepo Write(string path, string content)
    {
        var full = Path.Combine(Work, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return this;
    }

    /// <summary>Commits everything in the work tree and pushes it to the bare repository's main.</summary>
    public void CommitAndPush(string message)
    {
        Git(Work, "add", "-A");
        Git(Work, "commit", "-q", "--allow-empty", "-m", message);
        Git(Work, "push", "-q", Bare, "HEAD:refs/heads/main");
    }

    /// <summary>Runs git in <paramref name="dir"/> as the bench author; throws with git's stderr when it fails.</summary>
    internal static void Git(string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["GIT_AUTHOR_NAME"] = psi.Environment["GIT_COMMITTER_NAME"] = "Bench";
        psi.Environment["GIT_AUTHOR_EMAIL"] = psi.Environment["GIT_COMMITTER_EMAIL"] = "bench@example.com";
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)}: {err.Result}");
        }
    }
}
