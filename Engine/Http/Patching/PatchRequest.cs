using System.Text.Json.Nodes;
using GitOrch.Engine.Patching;

namespace GitOrch.Engine.Http.Patching;

/// <summary>
/// The body of a PATCH and its media type, which chooses the patch type: JSON merge patch (RFC 7386), strategic
/// merge patch (Kubernetes), JSON patch (RFC 6902). Server-side apply is handled by <see cref="ApplyHandler"/>.
/// </summary>
internal sealed record PatchRequest(string MediaType, byte[] Body)
{
    public const string MergePatch = "application/merge-patch+json";
    public const string StrategicMergePatch = "application/strategic-merge-patch+json";
    public const string JsonPatch = "application/json-patch+json";
    public const string ApplyPatch = "application/apply-patch+yaml";

    public static readonly string[] MediaTypes = [MergePatch, StrategicMergePatch, JsonPatch, ApplyPatch];

    public bool IsApply => MediaType == ApplyPatch;

    public static async Task<PatchRequest> ReadAsync(HttpContext context)
    {
        var bytes = await RequestBody.ReadBytesAsync(context, MediaTypes);
        var media = (context.Request.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        return new PatchRequest(media, bytes);
    }

    /// <summary>
    /// True when the patch itself sets metadata.resourceVersion: then a concurrent write must fail it with 409
    /// (the client asked for optimistic concurrency) rather than have it re-applied to the newer object.
    /// </summary>
    public bool PinsResourceVersion()
    {
        var node = ParseJson();
        return node switch
        {
            JsonObject o => o["metadata"] is JsonObject m && m["resourceVersion"] != null,
            JsonArray ops => ops.Any(op => op is JsonObject o && (string?)o["path"] == "/metadata/resourceVersion" && (string?)o["op"] is "add" or "replace" or "test"),
            _ => false,
        };
    }

    /// <summary>Applies this patch to <paramref name="current"/> (the object as JSON), typed by <paramref name="type"/>.</summary>
    public JsonObject ApplyTo(JsonObject current, Type type)
    {
        switch (MediaType)
        {
            case JsonPatch:
                return Engine.Patching.JsonPatch.Apply(current, Body);
            case StrategicMergePatch:
                return Engine.Patching.StrategicMergePatch.Apply(current, AsObject(), type);
            default:
                return (JsonObject)Http.MergePatch.Apply(current.DeepClone(), AsObject())!;
        }
    }

    private JsonObject AsObject()
        => ParseJson() as JsonObject ?? throw new PatchException("", $"a {(MediaType == StrategicMergePatch ? "strategic merge" : "merge")} patch must be a JSON object", malformed: true);

    private JsonNode? ParseJson()
    {
        try
        {
            return JsonNode.Parse(Body);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new PatchException("", "the patch is not valid JSON: " + e.Message, malformed: true);
        }
    }
}
