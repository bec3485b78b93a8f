using System.Collections.Concurrent;
using System.Text;
using GitOrch.Api.Model;
using GitOrch.Api.Selectors;

namespace GitOrch.Engine.Store;

/// <summary>
/// The committed objects in memory, by kind and <c>namespace/name</c>, and the reads every store backend serves from
/// them (get, list, pages). Both backends keep one: LiteDB's committer and etcd's watch feed are its only writers,
/// so reads never touch the disk or the network.
/// </summary>
internal sealed class ObjectIndex
{
    private readonly Dictionary<ResourceKind, ConcurrentDictionary<string, StoredObject>> _byKind = new();

    public ObjectIndex()
    {
        foreach (var k in ResourceKinds.All)
        {
            _byKind[k] = new ConcurrentDictionary<string, StoredObject>(StringComparer.Ordinal);
        }
    }

    public StoredObject? Find(ResourceKind kind, string? ns, string name)
        => _byKind[kind].TryGetValue(StoredObject.KeyOf(kind.Namespaced ? ns ?? "default" : null, name), out var s) ? s : null;

    public StoredObject? FindByKey(ResourceKind kind, string key) => _byKind[kind].TryGetValue(key, out var s) ? s : null;

    /// <summary>Committed versions of a kind, unordered, shared (read only).</summary>
    public IEnumerable<StoredObject> Committed(ResourceKind kind) => _byKind[kind].Values;

    public void Set(StoredObject stored) => _byKind[stored.Kind][stored.Key] = stored;

    public void Remove(ResourceKind kind, string key) => _byKind[kind].TryRemove(key, out _);

    public IReadOnlyList<T> List<T>(string? ns, Selector? labels, Func<T, bool>? where) where T : KubeObject
    {
        var result = new List<T>();
        foreach (var s in Snapshot(ResourceKinds.Of<T>(), ns))
        {
            var shared = (T)s.Shared;
            if ((labels == null || labels.Matches(shared.Metadata.Labels)) && (where == null || where(shared)))
            {
                result.Add(s.Copy<T>());
            }
        }

        return result;
    }

    public ListPage ListPage(ResourceKind kind, string? ns, Selector? labels, Func<KubeObject, bool>? where, int limit, string? continueToken, long revision)
    {
        var after = ContinueToken.Decode(continueToken);
        var items = new List<StoredObject>();
        long remaining = 0;
        foreach (var s in Snapshot(kind, ns))
        {
            if (after != null && string.CompareOrdinal(s.Key, after) <= 0)
            {
                continue;
            }

            var shared = s.Shared;
            if ((labels != null && !labels.Matches(shared.Metadata.Labels)) || (where != null && !where(shared)))
            {
                continue;
            }

            if (limit > 0 && items.Count == limit)
            {
                remaining++;
                continue;
            }

            items.Add(s);
        }

        var next = remaining > 0 ? ContinueToken.Encode(items[^1].Key) : null;
        return new ListPage(items, revision, next, remaining);
    }

    private IEnumerable<StoredObject> Snapshot(ResourceKind kind, string? ns)
    {
        var all = _byKind[kind].Values.Where(s => ns == null || s.Namespace == ns).ToList();
        all.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return all;
    }

    private static class ContinueToken
    {
        public static string Encode(string lastKey) => Convert.ToBase64String(Encoding.UTF8.GetBytes(lastKey));

        public static string? Decode(string? token)
        {
            if (string.IsNullOrEmpty(token))
            {
                return null;
            }

            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(token));
            }
            catch (FormatException)
            {
                throw StoreException.BadRequest("invalid continue token");
            }
        }
    }
}
