using System.Text.Json.Nodes;

namespace GitOrch.Engine.Http;

/// <summary>RFC 7386 JSON merge patch: objects merge recursively, null deletes, anything else (arrays too) replaces.</summary>
internal static class MergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value == null)
            {
                result.Remove(key);
                continue;
            }

            var merged = Apply(result[key], value);
            result.Remove(key);
            result[key] = merged;
        }

        return result;
    }
}
