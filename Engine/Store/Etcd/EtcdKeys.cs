using GitOrch.Api.Model;

namespace GitOrch.Engine.Store.Etcd;

/// <summary>
/// Where objects live in etcd: <c>{prefix}/registry/{plural}/{namespace}/{name}</c>, or without the namespace for
/// cluster-scoped kinds (kube-apiserver's layout). Every object is under one range, so one watch feeds an Engine.
/// </summary>
internal sealed class EtcdKeys
{
    private readonly Dictionary<string, ResourceKind> _byPlural;

    public EtcdKeys(string prefix)
    {
        Registry = prefix.TrimEnd('/') + "/registry/";
        Bootstrap = prefix.TrimEnd('/') + "/bootstrap/";
        _byPlural = ResourceKinds.All.ToDictionary(k => k.Plural, StringComparer.Ordinal);
    }

    /// <summary>The object range (with a trailing slash).</summary>
    public string Registry { get; }

    /// <summary>Shared data-dir files of the cluster (tokens, CA): outside the object range, never served by the API.</summary>
    public string Bootstrap { get; }

    public string KeyOf(ResourceKind kind, string objectKey) => Registry + kind.Plural + "/" + objectKey;

    /// <summary>The kind and <c>namespace/name</c> of a key in the object range, or null for a key GitOrch did not write.</summary>
    public (ResourceKind Kind, string? Namespace, string Name)? Parse(string key)
    {
        if (!key.StartsWith(Registry, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = key.AsSpan(Registry.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0 || !_byPlural.TryGetValue(rest[..slash].ToString(), out var kind))
        {
            return null;
        }

        var objectKey = rest[(slash + 1)..].ToString();
        var nsEnd = objectKey.IndexOf('/', StringComparison.Ordinal);
        return kind.Namespaced
            ? nsEnd <= 0 ? null : (kind, objectKey[..nsEnd], objectKey[(nsEnd + 1)..])
            : nsEnd >= 0 ? null : (kind, null, objectKey);
    }

    /// <summary>The first key after every key that starts with <paramref name="prefix"/> (etcd's range_end for a prefix).</summary>
    public static string RangeEnd(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);
}
