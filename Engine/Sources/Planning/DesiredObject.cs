using GitOrch.Api.Model;
using GitOrch.Engine.Sources.Loading;

namespace GitOrch.Engine.Sources.Planning;

/// <summary>An object as the commit wants it: namespace defaulted, labelled, hashed.</summary>
public sealed record DesiredObject(Manifest Manifest, KubeObject Object, string Hash)
{
    public ResourceKind Kind => Manifest.Kind;
    public string? Namespace => Object.Metadata.Namespace;
    public string Name => Object.Metadata.Name ?? "";
    public string Key => ManifestKey.Of(Kind, Namespace, Name);
    public string Display => Namespace == null ? $"{Kind.Kind} {Name}" : $"{Kind.Kind} {Namespace}/{Name}";
}
