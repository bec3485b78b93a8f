using System;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using GitOrch.Api.Model;

namespace GitOrch.Api.Serialization;

public sealed class QuantityConverter : JsonConverter<Quantity>
{
    public override Quantity Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString()!,
            JsonTokenType.Number => reader.TryGetInt64(out var l) ? l.ToString(CultureInfo.InvariantCulture) : reader.GetDecimal().ToString(CultureInfo.InvariantCulture),
            _ => throw new JsonException($"quantity must be a string or a number, not {reader.TokenType}"),
        };
        return Quantity.TryParse(text, out var q) ? q : throw new JsonException($"invalid quantity \"{text}\"");
    }

    public override void Write(Utf8JsonWriter writer, Quantity value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
