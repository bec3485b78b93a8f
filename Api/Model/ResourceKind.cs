using System;

namespace GitOrch.Api.Model;

/// <summary>What the API knows about a kind: its type, group/version, URL plural and scope.</summary>
public sealed class ResourceKind
{
    public ResourceKind(string group, string version, string kind, string plural, bool namespaced, Type type, string? shortName = null)
    {
        Group = group;
        Version = version;
        Kind = kind;
        Plural = plural;
        Namespaced = namespaced;
        Type = type;
        ShortName = shortName;
    }

    public string Group { get; }
    public string Version { get; }
    public string Kind { get; }
    public string Plural { get; }
    public bool Namespaced { get; }
    public Type Type { get; }
    public string? ShortName { get; }

    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    /// <summary>"/api/v1" or "/apis/apps/v1".</summary>
    public string GroupPath => Group.Length == 0 ? "/api/" + Version : "/apis/" + Group + "/" + Version;

    /// <summary>The collection path, for one namespace (or cluster-wide when <paramref name="ns"/> is null).</summary>
    public string CollectionPath(string? ns) => Namespaced && ns != null ? $"{GroupPath}/namespaces/{ns}/{Plural}" : $"{GroupPath}/{Plural}";

    public string ObjectPath(string? ns, string name) => CollectionPath(Namespaced ? ns ?? "default" : null) + "/" + name;

    public override string ToString() => $"{ApiVersion} {Kind}";
}
