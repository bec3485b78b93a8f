using System.Security.Cryptography;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;
using GitOrch.Engine.Sources.Loading;

namespace GitOrch.Engine.Sources.Planning;

/// <summary>
/// What one commit asks for, after the repository-level checks: namespaces defaulted (targetNamespace,
/// or the preview namespace), the same object defined twice (both files named), and objects labelled
/// with the source so they can be found, pruned and told apart from hand-made ones.
/// </summary>
public sealed class DesiredState
{
    public List<DesiredObject> Objects { get; } = new();
    public List<ManifestIssue> Errors { get; } = new();
    public List<ManifestIssue> Warnings { get; } = new();
    public string Commit { get; init; } = "";

    public bool IsValid => Errors.Count == 0;

    public static DesiredState Build(LoadResult load, string commit, DesiredTarget target)
    {
        var state = new DesiredState { Commit = commit };
        state.Errors.AddRange(load.Errors);
        state.Warnings.AddRange(load.Warnings);
        var config = target.Config;
        var seen = new Dictionary<string, Manifest>(StringComparer.Ordinal);
        foreach (var m in load.Manifests)
        {
            // Manifests of unchanged files are the same instances as last time (ManifestCache): reuse their result.
            if (!Outcomes.TryGetValue(m, out var outcome) || outcome.Config != config)
            {
                outcome = Place(m, target);
                Outcomes.AddOrUpdate(m, outcome);
            }

            state.Errors.AddRange(outcome.Errors);
            state.Warnings.AddRange(outcome.Warnings);
            if (outcome.Object == null)
            {
                continue;
            }

            var d = outcome.Object;
            if (seen.TryGetValue(d.Key, out var first))
            {
                state.Errors.Add(new ManifestIssue(m.File, m.Line, $"{m.Kind.Kind} {Display(d.Object)} is also defined in {first.Location}"));
                continue;
            }

            seen[d.Key] = m;
            state.Objects.Add(d);
        }

        return state;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Manifest, Outcome> Outcomes = new();

    private sealed record Outcome(string Config, DesiredObject? Object, List<ManifestIssue> Errors, List<ManifestIssue> Warnings);

    private static Outcome Place(Manifest m, DesiredTarget target)
    {
        var (sourceNamespace, sourceName, targetNamespace, previewNamespace, previewNumber) = target;
        var config = target.Config;
        var errors = new List<ManifestIssue>();
        var warnings = new List<ManifestIssue>();
        var obj = KubeJson.Clone(m.Object);
        obj.ApiVersion = m.Kind.ApiVersion;
        obj.Kind = m.Kind.Kind;
        if (previewNamespace != null)
        {
            if (!m.Kind.Namespaced)
            {
                warnings.Add(new ManifestIssue(m.File, m.Line, $"{m.Kind.Kind} {obj.Metadata.Name} is cluster-scoped and skipped in previews"));
                return new Outcome(config, null, errors, warnings);
            }

            obj.Metadata.Namespace = previewNamespace;
        }
        else if (m.Kind.Namespaced)
        {
            obj.Metadata.Namespace = string.IsNullOrEmpty(obj.Metadata.Namespace) ? targetNamespace ?? sourceNamespace : obj.Metadata.Namespace;
        }
        else if (obj.Metadata.Namespace != null)
        {
            warnings.Add(new ManifestIssue(m.File, m.Lines.LineOf("$.metadata.namespace"), $"{m.Kind.Kind} {obj.Metadata.Name} is cluster-scoped; metadata.namespace is ignored"));
            obj.Metadata.Namespace = null;
        }

        if (string.IsNullOrEmpty(obj.Metadata.Name))
        {
            errors.Add(new ManifestIssue(m.File, m.Lines.LineOf("$.metadata"), $"{m.Kind.Kind}: metadata.name is required (generateName is not supported in Git)"));
            return new Outcome(config, null, errors, warnings);
        }

        // Server-owned fields in a manifest would fight the store; they are dropped, not applied.
        obj.Metadata.ResourceVersion = null;
        obj.Metadata.Uid = null;
        obj.Metadata.CreationTimestamp = null;
        obj.Metadata.Generation = null;
        obj.Metadata.DeletionTimestamp = null;
        ClearStatus(obj);
        (obj.Metadata.Labels ??= new())[SourceLabels.Source] = SourceLabels.SourceValue(sourceNamespace, sourceName);
        if (previewNumber != null)
        {
            obj.Metadata.Labels[SourceLabels.Preview] = previewNumber.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        (obj.Metadata.Annotations ??= new())[SourceLabels.File] = m.File;
        obj.Metadata.Annotations.Remove(SourceLabels.Commit);
        return new Outcome(config, new DesiredObject(m with { Object = obj }, obj, Hash(obj)), errors, warnings);
    }

    /// <summary>The content hash recorded in the inventory; the commit annotation is not part of it.</summary>
    public static string Hash(KubeObject obj)
    {
        var bytes = KubeJson.SerializeToUtf8(obj, obj.GetType());
        return Convert.ToHexString(SHA256.HashData(bytes), 0, 8).ToLowerInvariant();
    }

    private static string Display(KubeObject o) => o.Metadata.Namespace == null ? o.Name : o.Metadata.Namespace + "/" + o.Name;

    private static void ClearStatus(KubeObject obj)
    {
        if (obj is IHasSpecAndStatus parts)
        {
            parts.StatusValue = null;
        }
    }
}
