using GitOrch.Engine.Store;

namespace GitOrch.Engine.Http;

/// <summary>
/// Event types as a watcher with a selector must see them, as kube-apiserver sends them: an object that starts to
/// match arrives as ADDED, one that stops matching as DELETED. So the scheduler watching unbound Pods
/// (<c>spec.nodeName=</c>) sees a Pod leave when it is bound, and an agent watching its node sees it arrive.
/// </summary>
internal sealed class FilteredView
{
    private readonly Dictionary<string, bool> _inView = new(StringComparer.Ordinal);
    private readonly bool? _unseen;

    /// <param name="initial">Keys known to be in view (the initial list), or null when resuming with no list.</param>
    public FilteredView(IEnumerable<string>? initial)
    {
        if (initial == null)
        {
            // Resumed from a resourceVersion: what the client holds is unknown, so err towards telling it.
            _unseen = null;
            return;
        }

        _unseen = false;
        foreach (var key in initial)
        {
            _inView[key] = true;
        }
    }

    /// <summary>The type to send for <paramref name="e"/>, or null to send nothing.</summary>
    public WatchEventType? Translate(StoreEvent e, bool matches)
    {
        var key = e.Object.Key;
        bool? was = _inView.TryGetValue(key, out var v) ? v : _unseen;
        switch (e.Type)
        {
            case WatchEventType.Deleted:
                _inView.Remove(key);
                return was == false && !matches ? null : WatchEventType.Deleted;
            case WatchEventType.Added:
                Remember(key, matches);
                return matches ? WatchEventType.Added : null;
            default:
                Remember(key, matches);
                if (matches)
                {
                    return was == false ? WatchEventType.Added : WatchEventType.Modified;
                }

                return was == false ? null : WatchEventType.Deleted;
        }
    }

    /// <summary>
    /// After an initial list, "not in view" is what an absent key means: keep only the keys in view, so an agent's
    /// watch holds its own node's Pods, not an entry for every Pod of the cluster. A resumed watch must remember
    /// both answers, since for it an absent key means "unknown".
    /// </summary>
    private void Remember(string key, bool matches)
    {
        if (matches || _unseen == null)
        {
            _inView[key] = matches;
        }
        else
        {
            _inView.Remove(key);
        }
    }
}
