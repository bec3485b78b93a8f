using GitOrch.Api.Model;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Sources.Dependencies;

/// <summary>
/// <c>spec.dependsOn</c>: which sources a source waits for, whether they are ready (applied their latest commit and
/// healthy), and whether the graph through it has a cycle — which no amount of waiting resolves.
/// </summary>
public static class SourceDependencies
{
    /// <summary>A source's dependencies as "namespace/name", the namespace defaulting to the source's own.</summary>
    public static IEnumerable<string> Of(GitSource source)
        => (source.Spec?.DependsOn ?? new List<GitSourceDependency>())
            .Where(d => !string.IsNullOrEmpty(d.Name))
            .Select(d => (d.Namespace ?? source.Metadata.Namespace ?? "default") + "/" + d.Name);

    /// <summary>The cycle through <paramref name="source"/> as "a -> b -> a", or null when there is none.</summary>
    public static string? FindCycle(IObjectStore store, GitSource source)
    {
        var start = Key(source);
        var path = new List<string> { start };
        return Walk(store, source, start, path, new HashSet<string>(StringComparer.Ordinal));
    }

    /// <summary>Why the dependency is not ready yet, or null when it is.</summary>
    public static string? NotReady(IObjectStore store, string key)
    {
        var parts = key.Split('/', 2);
        var dependency = store.Get<GitSource>(parts[0], parts[1]);
        if (dependency == null)
        {
            return $"dependency {key} does not exist";
        }

        var status = dependency.Status;
        var ready = SourceConditions.Get(status, SourceConditions.Ready);
        if (ready?.Status != ConditionStatus.True || status?.ObservedGeneration != dependency.Metadata.Generation)
        {
            return $"dependency {key} is not ready" + (ready?.Message == null ? "" : $" ({ready.Reason}: {FirstLine(ready.Message)})");
        }

        return status!.LastAppliedCommit != status.LastFetchedCommit ? $"dependency {key} has not applied its latest commit yet" : null;
    }

    private static string? Walk(IObjectStore store, GitSource at, string start, List<string> path, HashSet<string> seen)
    {
        foreach (var next in Of(at))
        {
            if (next == start)
            {
                return string.Join(" -> ", path.Append(next));
            }

            if (!seen.Add(next))
            {
                continue;
            }

            var parts = next.Split('/', 2);
            if (store.Get<GitSource>(parts[0], parts[1]) is { } source)
            {
                path.Add(next);
                if (Walk(store, source, start, path, seen) is { } cycle)
                {
                    return cycle;
                }

                path.RemoveAt(path.Count - 1);
            }
        }

        return null;
    }

    private static string Key(GitSource s) => (s.Metadata.Namespace ?? "default") + "/" + s.Name;

    private static string FirstLine(string s) => s.Split('\n', 2)[0];
}
