using System.Text.Json.Nodes;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;

namespace GitOrch.Engine.Http;

/// <summary>Reads request bodies: media type (415), JSON syntax (400), apiVersion/kind agreeing with the URL (400).</summary>
internal static class RequestBody
{
    /// <summary>Largest accepted body: Kubernetes' own limit for one object is about 1.5 MiB; be a little generous.</summary>
    private const int MaxBytes = 3 * 1024 * 1024;

    public static async Task<byte[]> ReadBytesAsync(HttpContext context, params string[] mediaTypes)
    {
        var contentType = context.Request.ContentType ?? "";
        var media = contentType.Split(';')[0].Trim();
        if (!mediaTypes.Contains(media, StringComparer.OrdinalIgnoreCase))
        {
            throw ApiException.UnsupportedMediaType(contentType);
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        if (buffer.Length > MaxBytes)
        {
            throw new ApiException(413, "RequestEntityTooLarge", $"the request body is larger than {MaxBytes} bytes");
        }

        if (buffer.Length == 0)
        {
            throw ApiException.BadRequest("the request has no body");
        }

        return buffer.ToArray();
    }

    /// <summary>An object of <paramref name="kind"/> from a JSON body; fills apiVersion/kind when absent.</summary>
    public static async Task<KubeObject> ReadObjectAsync(HttpContext context, ResourceKind kind)
    {
        var bytes = await ReadBytesAsync(context, ApiResponses.Json);
        return Decode(bytes, kind.Type, kind.ApiVersion, kind.Kind);
    }

    /// <summary>Decodes a body of any wire type (Binding, Scale, ...), checking its type meta against what the URL expects.</summary>
    public static KubeObject Decode(byte[] bytes, Type type, string apiVersion, string kindName, params string[] alsoAcceptedApiVersions)
    {
        if (!StartsWithObject(bytes))
        {
            throw ApiException.BadRequest("the request body must be a JSON object");
        }

        var obj = (KubeObject)KubeJson.Deserialize(bytes, type);
        obj.Metadata ??= new ObjectMeta();
        if (obj.Kind != null && obj.Kind != kindName)
        {
            throw ApiException.BadRequest($"the kind of the object in the body (\"{obj.Kind}\") does not match the kind of the URL (\"{kindName}\")");
        }

        if (obj.ApiVersion != null && obj.ApiVersion != apiVersion && !alsoAcceptedApiVersions.Contains(obj.ApiVersion))
        {
            throw ApiException.BadRequest($"the apiVersion of the object in the body (\"{obj.ApiVersion}\") does not match the URL (\"{apiVersion}\")");
        }

        obj.ApiVersion = apiVersion;
        obj.Kind = kindName;
        return obj;
    }

    /// <summary>Cheap check that the body is a JSON object, not an array or scalar (which would deserialize oddly or as null).</summary>
    private static bool StartsWithObject(byte[] bytes)
    {
        foreach (var b in bytes)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF)
            {
                continue;
            }

            return b == (byte)'{';
        }

        return false;
    }
}
