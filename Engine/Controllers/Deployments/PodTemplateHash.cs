using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;
using GitOrch.Engine.Controllers.Common;

namespace GitOrch.Engine.Controllers.Deployments;

/// <summary>
/// The identity of a Pod template: a canonical JSON form (object keys sorted, the pod-template-hash label left out) so
/// two templates that mean the same compare equal whatever order their maps were written in, and a short FNV-1a hash
/// of it for names and the pod-template-hash label.
/// </summary>
public static class PodTemplateHash
{
    public static string Canonical(PodTemplateSpec template)
    {
        var node = JsonSerializer.SerializeToNode(template, KubeJson.Options) ?? new JsonObject();
        if (node["metadata"]?["labels"] is JsonObject labels)
        {
            labels.Remove(DeploymentAnnotations.PodTemplateHash);
            if (labels.Count == 0)
            {
                ((JsonObject)node["metadata"]!).Remove("labels");
            }
        }

        var sb = new StringBuilder();
        Write(node, sb);
        return sb.ToString();
    }

    public static string Compute(PodTemplateSpec template, int collisionCount = 0)
    {
        var text = Canonical(template) + (collisionCount > 0 ? collisionCount.ToString(System.Globalization.CultureInfo.InvariantCulture) : "");
        uint hash = 2166136261;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 16777619;
        }

        return NameGenerator.Encode(hash);
    }

    private static void Write(JsonNode? node, StringBuilder sb)
    {
        switch (node)
        {
            case JsonObject o:
                sb.Append('{');
                var first = true;
                foreach (var kv in o.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    sb.Append(JsonSerializer.Serialize(kv.Key)).Append(':');
                    Write(kv.Value, sb);
                }

                sb.Append('}');
                break;
            case JsonArray a:
                sb.Append('[');
                for (var i = 0; i < a.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    Write(a[i], sb);
                }

                sb.Append(']');
                break;
            case null:
                sb.Append("null");
                break;
            default:
                sb.Append(node.ToJsonString());
                break;
        }
    }
}
