using System.Text.Json;
using System.Text.Json.Nodes;
using GitOrch.Api.Serialization;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson.Exceptions;

namespace GitOrch.Engine.Patching;

/// <summary>
/// RFC 6902 JSON patch (add, remove, replace, move, copy, test) applied to a JSON tree by ASP.NET Core's maintained
/// implementation. Operations apply in order and all or none: a failing one leaves the object as it was, and the
/// error names the operation's index and path.
/// </summary>
public static class JsonPatch
{
    public static JsonObject Apply(JsonObject original, ReadOnlySpan<byte> patchJson)
    {
        var document = Parse(patchJson);
        var target = (JsonObject)original.DeepClone();
        for (var i = 0; i < document.Operations.Count; i++)
        {
            var op = document.Operations[i];
            var where = $"[{i}] {op.op} {op.path}";
            if (op.OperationType == Microsoft.AspNetCore.JsonPatch.SystemTextJson.Operations.OperationType.Invalid)
            {
                throw new PatchException(where, $"unknown operation \"{op.op}\": use add, remove, replace, move, copy or test", malformed: true);
            }

            if (op.OperationType == Microsoft.AspNetCore.JsonPatch.SystemTextJson.Operations.OperationType.Copy)
            {
                // The library's copy re-parents the source node of a JsonNode tree (and fails); an add of a clone is the same operation.
                op = new Microsoft.AspNetCore.JsonPatch.SystemTextJson.Operations.Operation("add", op.path, null, Resolve(target, op.from, where));
            }

            var single = new JsonPatchDocument([op], KubeJson.Options);
            try
            {
                single.ApplyTo(target);
            }
            catch (JsonPatchException e)
            {
                throw new PatchException(where, e.Message);
            }
        }

        return target;
    }

    /// <summary>The value at an RFC 6901 pointer, cloned.</summary>
    private static JsonNode? Resolve(JsonNode root, string? pointer, string where)
    {
        JsonNode? node = root;
        foreach (var raw in (pointer ?? "").Split('/').Skip(1))
        {
            var part = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(part, out var child) => child,
                JsonArray a when int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
                _ => throw new PatchException(where, $"the location \"{pointer}\" to copy from does not exist"),
            };
        }

        return node?.DeepClone();
    }

    private static JsonPatchDocument Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            if (JsonNode.Parse(json) is not JsonArray)
            {
                throw new PatchException("", "a JSON patch must be a JSON array of operations", malformed: true);
            }

            return JsonSerializer.Deserialize<JsonPatchDocument>(json, KubeJson.Options) ?? throw new PatchException("", "a JSON patch must be a JSON array of operations", malformed: true);
        }
        catch (JsonException e)
        {
            throw new PatchException("", "invalid JSON patch: " + e.Message, malformed: true);
        }
    }
}
