using System;
using System.Text.Json;
using System.Text.Json.Serialization;
using GitOrch.Api.Model;

namespace GitOrch.Api.Serialization;

public sealed class IntOrStringConverter : JsonConverter<IntOrString>
{
    public override IntOrString Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number => new IntOrString(reader.GetInt32()),
        JsonTokenType.String => new IntOrString(reader.GetString()!),
        _ => throw new JsonException($"expected a number or a string, not {reader.TokenType}"),
    };

    public override void Write(Utf8JsonWriter writer, IntOrString value, JsonSerializerOptions options)
    {
        if (value.IsString)
        {
            writer.WriteStringValue(value.StringValue);
        }
        else
        {
            writer.WriteNumberValue(value.IntValue);
        }
    }
}
