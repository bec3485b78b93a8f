using System.Text.Json.Nodes;

namespace GitOrch.Engine.Patching;

/// <summary>
/// Kubernetes' strategic merge patch applied to a JSON tree, typed by the Api model (<see cref="WireType"/>): objects
/// merge field by field and <c>null</c> deletes; lists with a merge strategy (<see cref="PatchStrategies"/>) merge item
/// by item (lists of objects by their merge key, lists of scalars by value) and every other list is replaced. The
/// directives: <c>$patch: replace|delete|merge</c> on an object or list item, <c>$retainKeys</c>,
/// <c>$setElementOrder/&lt;list&gt;</c> and <c>$deleteFromPrimitiveList/&lt;list&gt;</c>. Fields the model does not
/// know are merged as in a JSON merge patch. Lives outside the HTTP layer so Kustomize-style patches can reuse it.
/// </summary>
public static class StrategicMergePatch
{
    private const string PatchDirective = "$patch";
    private const string RetainKeysDirective = "$retainKeys";
    private const string SetElementOrderPrefix = "$setElementOrder/";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";

    /// <summary>Returns the patched copy of <paramref name="original"/> (left unchanged), typed as <paramref name="type"/>.</summary>
    public static JsonObject Apply(JsonObject original, JsonObject patch, Type type)
        => MergeObject((JsonObject)original.DeepClone(), patch, WireType.Of(type), "");

    private static JsonObject MergeObject(JsonObject original, JsonObject patch, WireType? type, string path)
    {
        switch ((patch[PatchDirective] as JsonValue)?.ToString())
        {
            case null or "merge":
                break;
            case "replace":
                return StripDirectives(patch);
            case "delete":
                return new JsonObject();
            case var other:
                throw new PatchException(Join(path, PatchDirective), $"unknown patch directive \"{other}\": use replace, delete or merge", malformed: true);
        }

        if (patch[RetainKeysDirective] is { } retain)
        {
            RetainKeys(original, retain, Join(path, RetainKeysDirective));
        }

        foreach (var (key, value) in patch.ToList())
        {
            if (key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                DeleteFromPrimitiveList(original, key[DeleteFromPrimitiveListPrefix.Length..], value, Join(path, key));
            }
            else if (!key.StartsWith('$'))
            {
                MergeField(original, key, value, type, path);
            }
        }

        foreach (var (key, value) in patch)
        {
            if (key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                var field = key[SetElementOrderPrefix.Length..];
                SetElementOrder(original, field, value, FieldOf(type, field), Join(path, key));
            }
            else if (key.StartsWith('$') && key is not (PatchDirective or RetainKeysDirective) && !key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                throw new PatchException(Join(path, key), "unknown patch directive", malformed: true);
            }
        }

        return original;
    }

    private static void MergeField(JsonObject original, string key, JsonNode? value, WireType? owner, string path)
    {
        var fieldPath = Join(path, key);
        if (value == null)
        {
            original.Remove(key);
            return;
        }

        var field = FieldOf(owner, key);
        var fieldType = owner?.Shape == WireShape.Map ? owner.Item : field?.Type;
        var current = original[key];
        JsonNode? merged = value switch
        {
            JsonObject o => MergeObject(current as JsonObject ?? new JsonObject(), o, fieldType, fieldPath),
            JsonArray a => MergeList(current as JsonArray ?? new JsonArray(), a, fieldType, field?.Strategy, fieldPath),
            _ => value.DeepClone(),
        };
        // In place, so the field keeps its position (and an unchanged object serializes unchanged).
        if (!ReferenceEquals(merged, current))
        {
            original[key] = merged;
        }
    }

    private static JsonArray MergeList(JsonArray original, JsonArray patch, WireType? listType, PatchStrategy? strategy, string path)
    {
        var item = listType?.Shape == WireShape.List ? listType.Item : null;
        if (patch.Any(IsReplaceMarker))
        {
            return new JsonArray(patch.Where(p => !IsReplaceMarker(p)).Select(p => p is JsonObject o ? StripDirectives(o) : p?.DeepClone()).ToArray());
        }

        if (strategy is not { Merges: true })
        {
            // Replaced as a whole, but items may still carry directives of their own fields (a new container's env).
            return new JsonArray(patch.Select((p, i) => p is JsonObject o ? MergeObject(new JsonObject(), o, item, $"{path}[{i}]") : p?.DeepClone()).ToArray());
        }

        if (strategy.MergeKey == null)
        {
            foreach (var p in patch)
            {
                if (!original.Any(o => JsonNode.DeepEquals(o, p)))
                {
                    original.Add(p?.DeepClone());
                }
            }

            return original;
        }

        for (var i = 0; i < patch.Count; i++)
        {
            MergeListItem(original, patch[i], strategy.MergeKey, item, $"{path}[{i}]");
        }

        return original;
    }

    private static void MergeListItem(JsonArray original, JsonNode? patchItem, string mergeKey, WireType? item, string path)
    {
        if (patchItem is not JsonObject p)
        {
            throw new PatchException(path, $"this list merges by \"{mergeKey}\": each item must be an object", malformed: true);
        }

        var key = p[mergeKey] ?? throw new PatchException(path, $"the item does not contain the list's merge key \"{mergeKey}\"");
        var index = IndexOf(original, mergeKey, key);
        var directive = (p[PatchDirective] as JsonValue)?.ToString();
        if (directive == "delete")
        {
            for (; index >= 0; index = IndexOf(original, mergeKey, key))
            {
                original.RemoveAt(index);
            }

            return;
        }

        var itemPath = $"{path[..path.LastIndexOf('[')]}[{mergeKey}={key.ToJsonString()}]";
        if (index < 0)
        {
            original.Add(MergeObject(new JsonObject(), p, item, itemPath));
            return;
        }

        var current = (JsonObject)original[index]!;
        var merged = MergeObject(current, p, item, itemPath);
        if (!ReferenceEquals(merged, current))
        {
            original[index] = merged;
        }
    }

    private static void RetainKeys(JsonObject original, JsonNode retain, string path)
    {
        if (retain is not JsonArray keys || keys.Any(k => k is not JsonValue v || v.GetValueKind() != System.Text.Json.JsonValueKind.String))
        {
            throw new PatchException(path, "must be a list of field names", malformed: true);
        }

        var keep = keys.Select(k => k!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        foreach (var name in original.Select(kv => kv.Key).Where(k => !keep.Contains(k)).ToList())
        {
            original.Remove(name);
        }
    }

    private static void DeleteFromPrimitiveList(JsonObject original, string field, JsonNode? values, string path)
    {
        if (values is not JsonArray remove)
        {
            throw new PatchException(path, "must be a list of the values to delete", malformed: true);
        }

        if (original[field] is JsonArray list)
        {
            for (var i = list.Count - 1; i >= 0; i--)
            {
                if (remove.Any(r => JsonNode.DeepEquals(r, list[i])))
                {
                    list.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>Items named by the order list come first in that order; items it does not name keep their relative order after them.</summary>
    private static void SetElementOrder(JsonObject original, string field, JsonNode? order, WireField? wireField, string path)
    {
        if (order is not JsonArray wanted)
        {
            throw new PatchException(path, "must be a list", malformed: true);
        }

        if (original[field] is not JsonArray list)
        {
            return;
        }

        var mergeKey = wireField?.Strategy?.MergeKey;
        var items = list.Select(n => n?.DeepClone()).ToList();
        var ordered = new List<JsonNode?>();
        foreach (var w in wanted)
        {
            var match = items.FindIndex(n => mergeKey == null ? JsonNode.DeepEquals(n, w) : JsonNode.DeepEquals(n?[mergeKey], w?[mergeKey]));
            if (match >= 0)
            {
                ordered.Add(items[match]);
                items.RemoveAt(match);
            }
        }

        original[field] = new JsonArray([.. ordered, .. items]);
    }

    private static int IndexOf(JsonArray list, string mergeKey, JsonNode key)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is JsonObject o && JsonNode.DeepEquals(o[mergeKey], key))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsReplaceMarker(JsonNode? n) => n is JsonObject o && o.Count == 1 && (o[PatchDirective] as JsonValue)?.ToString() == "replace";

    private static JsonObject StripDirectives(JsonObject o)
    {
        var copy = new JsonObject();
        foreach (var (k, v) in o)
        {
            if (!k.StartsWith('$'))
            {
                copy[k] = v?.DeepClone();
            }
        }

        return copy;
    }

    private static WireField? FieldOf(WireType? owner, string field) => owner?.Shape == WireShape.Object ? owner.Field(field) : null;

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;
}
