using GitOrch.Api.Model;

namespace GitOrch.Engine.Sources;

/// <summary>Labels and annotations the source controller reads and writes on objects; the values live in Api (<see cref="WellKnownLabels"/>, <see cref="WellKnownAnnotations"/>).</summary>
public static class SourceLabels
{
    /// <summary>Label on every managed object: "&lt;namespace&gt;.&lt;name&gt;" of the GitSource.</summary>
    public const string Source = WellKnownLabels.Source;

    /// <summary>Label on objects of a pull-request preview: the PR number.</summary>
    public const string Preview = WellKnownLabels.Preview;

    /// <summary>Annotation: the commit that last changed the object.</summary>
    public const string Commit = WellKnownAnnotations.Commit;

    /// <summary>Annotation: content hash of the manifest as applied (previews compare it, having no inventory).</summary>
    public const string Hash = WellKnownAnnotations.Hash;

    /// <summary>Annotation: the file that defines the object.</summary>
    public const string File = WellKnownAnnotations.File;

    /// <summary>Annotation "disabled": keep the object when it leaves Git.</summary>
    public const string Prune = WellKnownAnnotations.Prune;

    /// <summary>Annotation "disabled": leave changes made through the API alone.</summary>
    public const string Reconcile = WellKnownAnnotations.Reconcile;

    /// <summary>Annotation on a GitSource: any new value asks for a reconcile now (Sync-GitOrchSource).</summary>
    public const string RequestedAt = WellKnownAnnotations.RequestedAt;

    public const string Disabled = WellKnownAnnotations.Disabled;

    public static string SourceValue(string ns, string name) => ns + "." + name;
}
