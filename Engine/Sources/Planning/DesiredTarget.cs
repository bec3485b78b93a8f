namespace GitOrch.Engine.Sources.Planning;

/// <summary>Where a commit's objects go: the source they are labelled with, its targetNamespace, or one preview.</summary>
/// <param name="TargetNamespace">Namespace of namespaced objects that name none (default: the source's namespace).</param>
/// <param name="PreviewNamespace">When set, every object goes into this namespace and cluster-scoped objects are skipped.</param>
/// <param name="PreviewNumber">The pull request a preview's objects are labelled with.</param>
public sealed record DesiredTarget(string SourceNamespace, string SourceName, string? TargetNamespace, string? PreviewNamespace = null, int? PreviewNumber = null)
{
    /// <summary>What a cached placement of a manifest depends on.</summary>
    public string Config => $"{SourceNamespace}|{SourceName}|{TargetNamespace}|{PreviewNamespace}|{PreviewNumber}";
}
