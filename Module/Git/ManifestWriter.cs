using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;

namespace GitOrch.Module.Git;

/// <summary>
/// Turns objects into the YAML a person would commit: no status, no server-set metadata (uid, resourceVersion,
/// generation, timestamps, owner references) and none of the source controller's bookkeeping labels/annotations.
/// </summary>
internal static class ManifestWriter
{
    private static readonly string[] ServerMetadata =
    {
        "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
        "ownerReferences", "finalizers", "managedFields", "selfLink", "generateName",
    };

    /// <param name="implicitNamespace">The namespace the source applies objects that name none to; left out of the file.</param>
    public static string ToYaml(IEnumerable<KubeObject> objects, string? implicitNamespace)
        => string.Join("---\n", objects.Select(o => ToYaml(o, implicitNamespace)));

    public static string ToYaml(KubeObject obj, string? implicitNamespace)
    {
        using var doc = JsonDocument.Parse(ToJson(obj, implicitNamespace));
        return YamlWriter.Write(doc.RootElement);
    }

    /// <summary>The manifest as JSON: no status, no server-set metadata, no GitOrch bookkeeping annotations.</summary>
    public static string ToJson(KubeObject obj, string? implicitNamespace)
    {
        KubeJson.WithTypeMeta(obj);
        var node = JsonNode.Parse(KubeJson.Serialize(obj, obj.GetType()))!.AsObject();
        node.Remove("status");
        if (node["metadata"] is JsonObject meta)
        {
            foreach (var field in ServerMetadata)
            {
                meta.Remove(field);
            }

            // Without an explicit namespace the manifest also works in pull-request previews (their own namespace).
            if (implicitNamespace != null && meta["namespace"]?.GetValue<string>() == implicitNamespace)
            {
                meta.Remove("namespace");
            }

            Prune(meta, "annotations", k => k.StartsWith("gitorch.io/", System.StringComparison.Ordinal) || k.StartsWith("deployment.kubernetes.io/", System.StringComparison.Ordinal) || k == "kubectl.kubernetes.io/last-applied-configuration");
            Prune(meta, "labels", k => k == WellKnownLabels.Source || k == WellKnownLabels.Preview);
        }

        return node.ToJsonString();
    }

    private static void Prune(JsonObject meta, string field, System.Func<string, bool> drop)
    {
        if (meta[field] is not JsonObject map)
        {
            return;
        }

        foreach (var key in map.Select(kv => kv.Key).Where(drop).ToList())
        {
            map.Remove(key);
        }

        if (map.Count == 0)
        {
            meta.Remove(field);
        }
    }

}
