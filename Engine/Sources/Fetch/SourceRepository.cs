using LibGit2Sharp;

namespace GitOrch.Engine.Sources.Fetch;

/// <summary>
/// The bare cache repository of one GitSource (<c>&lt;data-dir&gt;/sources/&lt;ns&gt;/&lt;name&gt;</c>). Remote refs are
/// mirrored under their own names; manifests are read from the object database, never checked out.
/// Every use goes through <see cref="Lock"/> because libgit2 handles are not safe for concurrent use.
/// </summary>
public sealed class SourceRepository : IDisposable
{
    public SourceRepository(string path)
    {
        Path = path;
        Directory.CreateDirectory(path);
        if (!Repository.IsValid(path))
        {
            Repository.Init(path, isBare: true);
        }

        Repo = new Repository(path);
    }

    public string Path { get; }
    public Repository Repo { get; }
    public SemaphoreSlim Lock { get; } = new(1, 1);

    public bool Has(string sha) => ObjectId.TryParse(sha, out var id) && Repo.ObjectDatabase.Contains(id);

    public Commit? CommitOf(string sha) => ObjectId.TryParse(sha, out var id) ? Repo.Lookup(id)?.Peel<Commit>() : null;

    public void Dispose()
    {
        Repo.Dispose();
        Lock.Dispose();
    }
}
