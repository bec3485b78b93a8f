using GitOrch.Api.Model;

namespace GitOrch.Engine.Sources.Loading;

/// <summary>One object defined in the repository, with where it was written.</summary>
public sealed record Manifest(ResourceKind Kind, KubeObject Object, string File, int Line, LineMap Lines)
{
    public string Location => $"{File}:{Line}";

    /// <summary>kind/namespace/name: the identity two manifests must not share.</summary>
    public string Key => ManifestKey.Of(Kind, Object.Metadata.Namespace, Object.Metadata.Name ?? "");
}

public static class ManifestKey
{
    public static string Of(ResourceKind kind, string? ns, string name) => ns == null ? $"{kind.ApiVersion}/{kind.Kind}/{name}" : $"{kind.ApiVersion}/{kind.Kind}/{ns}/{name}";
}
