using System.Collections.Concurrent;

namespace GitOrch.Engine.Sources.Fetch;

/// <summary>The cache repositories of all sources, shared by the controller, plans, previews and Git writes.</summary>
public sealed class SourceRepositories : IDisposable
{
    private readonly string _root;
    private readonly ConcurrentDictionary<string, Lazy<SourceRepository>> _repos = new(StringComparer.Ordinal);

    public SourceRepositories(string root) => _root = root;

    public SourceRepository Get(string ns, string name)
        => _repos.GetOrAdd(ns + "/" + name, _ => new Lazy<SourceRepository>(() => new SourceRepository(Path.Combine(_root, ns, name)))).Value;

    public void Forget(string ns, string name)
    {
        if (_repos.TryRemove(ns + "/" + name, out var repo) && repo.IsValueCreated)
        {
            repo.Value.Dispose();
        }
    }

    /// <summary>
    /// Drops the handle without disposing it: a timed-out libgit2 call may still be running on it in the
    /// background, and the next caller must not share a handle with it. The call ends when its socket does.
    /// </summary>
    public void Abandon(string ns, string name) => _repos.TryRemove(ns + "/" + name, out _);

    public void Dispose()
    {
        foreach (var r in _repos.Values)
        {
            if (r.IsValueCreated)
            {
                r.Value.Dispose();
            }
        }

        _repos.Clear();
    }
}
