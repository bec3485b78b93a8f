using System.Text.Json;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;

namespace GitOrch.Engine.Http;

/// <summary>Writes answers in the wire format. Stored objects go out as their stored JSON bytes, without re-serializing.</summary>
internal static class ApiResponses
{
    public const string Json = "application/json";

    public static Task WriteJsonAsync(HttpContext context, int code, ReadOnlyMemory<byte> utf8)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = Json;
        context.Response.ContentLength = utf8.Length;
        return context.Response.Body.WriteAsync(utf8, context.RequestAborted).AsTask();
    }

    public static Task WriteObjectAsync(HttpContext context, int code, object value, Type type)
        => WriteJsonAsync(context, code, JsonSerializer.SerializeToUtf8Bytes(value, type, KubeJson.Options));

    public static Task WriteObjectAsync(HttpContext context, int code, KubeObject obj)
        => WriteObjectAsync(context, code, obj, obj.GetType());

    public static Task WriteStatusAsync(HttpContext context, Status status)
    {
        status.Outcome ??= "Failure";
        return WriteObjectAsync(context, status.Code, status, typeof(Status));
    }

    public static Status Success(int code, string? message = null) => new() { Outcome = "Success", Code = code, Message = message };
}
