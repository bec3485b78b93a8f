using System.Text.Json;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;

namespace GitOrch.Api.Client;

/// <summary>Decodes a list of a kind chosen at run time (KubeList of the abstract KubeObject cannot be deserialized directly).</summary>
internal static class ListDecoder
{
    public static KubeList<KubeObject> Decode(ResourceKind kind, byte[] bytes)
    {
        using var doc = JsonDocument.Parse(bytes);
        var root = doc.RootElement;
        var list = new KubeList<KubeObject>
        {
            ApiVersion = root.TryGetProperty("apiVersion", out var av) ? av.GetString() : null,
            Kind = root.TryGetProperty("kind", out var k) ? k.GetString() : null,
        };
        if (root.TryGetProperty("metadata", out var meta))
        {
            list.Metadata = JsonSerializer.Deserialize<ListMeta>(meta.GetRawText(), KubeJson.Options) ?? new ListMeta();
        }

        if (root.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in items.EnumerateArray())
            {
                var obj = (KubeObject)KubeJson.Deserialize(item.GetRawText(), kind.Type);

                // Kubernetes omits apiVersion/kind on list items; fill them so items stand on their own.
                obj.ApiVersion ??= kind.ApiVersion;
                obj.Kind ??= kind.Kind;
                list.Items.Add(obj);
            }
        }

        return list;
    }
}
