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
