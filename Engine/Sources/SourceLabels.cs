namespace GitOrch.Engine.Sources;

/// <summary>Labels and annotations the source controller reads and writes on objects.</summary>
public static class SourceLabels
{
    /// <summary>Label on every managed object: "&lt;namespace&gt;.&lt;name&gt;" of the GitSource.</summary>
    public const string Source = "gitorch.io/source";

    /// <summary>Label on objects of a pull-request preview: the PR number.</summary>
    public const string Preview = "gitorch.io/preview";

    /// <summary>Annotation: the commit that last changed the object.</summary>
    public const string Commit = "gitorch.io/commit";

    /// <summary>Annotation: content hash of the manifest as applied (previews compare it, having no inventory).</summary>
    public const string Hash = "gitorch.io/hash";

    /// <summary>Annotation: the file that defines the object.</summary>
    public const string File = "gitorch.io/file";

    /// <summary>Annotation "disabled": keep the object when it leaves Git.</summary>
    public const string Prune = "gitorch.io/prune";

    /// <summary>Annotation "disabled": leave changes made through the API alone.</summary>
    public const string Reconcile = "gitorch.io/reconcile";

    /// <summary>Annotation on a GitSource: any new value asks for a reconcile now (Sync-GitOrchSource).</summary>
    public const string RequestedAt = "gitorch.io/requestedAt";

    public const string Disabled = "disabled";

    public static string SourceValue(string ns, string name) => ns + "." + name;
}
