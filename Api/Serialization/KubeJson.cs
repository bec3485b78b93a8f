using System;
using System.Text.Json;
using System.Text.Json.Serialization;
using GitOrch.Api.Model;

namespace GitOrch.Api.Serialization;

/// <summary>The one JSON dialect of GitOrch: Kubernetes' wire format (camelCase, nulls omitted, RFC 3339 times).</summary>
public static class KubeJson
{
    public static JsonSerializerOptions Options { get; } = Create(indented: false);

    public static JsonSerializerOptions Indented { get; } = Create(indented: true);

    private static JsonSerializerOptions Create(bool indented)
    {
        var o = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DictionaryKeyPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = indented,
            PropertyNameCaseInsensitive = false,

            // Errors and objects read by people through curl: write quotes as \" like Kubernetes, not \u0022.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        o.Converters.Add(new KubeTimeConverter());
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static string Serialize(object value, Type type) => JsonSerializer.Serialize(value, type, Options);

    public static byte[] SerializeToUtf8(object value, Type type) => JsonSerializer.SerializeToUtf8Bytes(value, type, Options);

    public static T Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException("null document");

    public static object Deserialize(ReadOnlySpan<byte> utf8, Type type) => JsonSerializer.Deserialize(utf8, type, Options) ?? throw new JsonException("null document");

    public static object Deserialize(string json, Type type) => JsonSerializer.Deserialize(json, type, Options) ?? throw new JsonException("null document");

    /// <summary>
    /// A deep copy of any model value (an object, a spec, a status, a condition) through the wire format: what a client
    /// would get back. The runtime type is copied, so a KubeObject passed as its base type stays its own kind.
    /// </summary>
    public static T Clone<T>(T obj) where T : class => (T)Deserialize(SerializeToUtf8(obj, obj.GetType()), obj.GetType());

    /// <summary>Fills apiVersion and kind from the object's type when a caller left them empty.</summary>
    public static T WithTypeMeta<T>(T obj) where T : KubeObject
    {
        var k = ResourceKinds.Of(obj.GetType());
        obj.ApiVersion ??= k.ApiVersion;
        obj.Kind ??= k.Kind;
        return obj;
    }
}
