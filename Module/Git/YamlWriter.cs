using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace GitOrch.Module.Git;

/// <summary>
/// Writes a JSON document as block-style YAML for the manifests the module proposes through Git. Strings that could
/// be read as something else (numbers, booleans, empty, special characters) are double-quoted with JSON escapes,
/// which YAML reads back unchanged; the module has no YAML library and needs none for this.
/// </summary>
internal static class YamlWriter
{
    public static string Write(JsonElement root)
    {
        var sb = new StringBuilder();
        WriteNode(sb, root, 0, afterKey: false);
        return sb.ToString();
    }

    private static void WriteNode(StringBuilder sb, JsonElement e, int indent, bool afterKey)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object when e.EnumerateObject().Any():
                if (afterKey)
                {
                    sb.Append('\n');
                }

                foreach (var p in e.EnumerateObject())
                {
                    sb.Append(' ', indent).Append(Key(p.Name)).Append(':');
                    WriteValueAfterKey(sb, p.Value, indent);
                }

                break;
            case JsonValueKind.Array when e.GetArrayLength() > 0:
                if (afterKey)
                {
                    sb.Append('\n');
                }

                foreach (var item in e.EnumerateArray())
                {
                    sb.Append(' ', indent).Append("- ");
                    if (item.ValueKind == JsonValueKind.Object && item.EnumerateObject().Any())
                    {
                        // The first key sits on the dash line; the rest align under it.
                        var firstProp = true;
                        foreach (var p in item.EnumerateObject())
                        {
                            if (!firstProp)
                            {
                                sb.Append(' ', indent + 2);
                            }

                            firstProp = false;
                            sb.Append(Key(p.Name)).Append(':');
                            WriteValueAfterKey(sb, p.Value, indent + 2);
                        }
                    }
                    else if (item.ValueKind == JsonValueKind.Array && item.GetArrayLength() > 0)
                    {
                        sb.Append(item.GetRawText()).Append('\n');
                    }
                    else
                    {
                        sb.Append(Scalar(item)).Append('\n');
                    }
                }

                break;
            default:
                sb.Append(afterKey ? " " : "").Append(Scalar(e)).Append('\n');
                break;
        }
    }

    private static void WriteValueAfterKey(StringBuilder sb, JsonElement value, int indent)
    {
        var isBlock = (value.ValueKind == JsonValueKind.Object && value.EnumerateObject().Any())
            || (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0);
        if (isBlock)
        {
            // Sequences under a key are indented like kubectl writes them (two more spaces).
            WriteNode(sb, value, indent + 2, afterKey: true);
        }
        else
        {
            sb.Append(' ').Append(Scalar(value)).Append('\n');
        }
    }

    private static string Scalar(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => Str(e.GetString() ?? ""),
        JsonValueKind.Number => e.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Object => "{}",
        JsonValueKind.Array => "[]",
        _ => "null",
    };

    private static string Key(string k) => IsPlain(k) ? k : JsonSerializer.Serialize(k);

    private static string Str(string s) => IsPlain(s) ? s : JsonSerializer.Serialize(s);

    /// <summary>Plain (unquoted) only when YAML 1.1 and 1.2 both read it back as this exact string.</summary>
    private static bool IsPlain(string s)
    {
        if (s.Length == 0 || s.Trim() != s)
        {
            return false;
        }

        var lower = s.ToLowerInvariant();
        if (lower is "true" or "false" or "yes" or "no" or "on" or "off" or "y" or "n" or "null" or "~")
        {
            return false;
        }

        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _) || s.StartsWith("0x", System.StringComparison.OrdinalIgnoreCase) || s.StartsWith("0o", System.StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // YAML 1.1 reads 12:30 as a base-60 number and 1_000 as 1000.
        if (s.All(c => char.IsDigit(c) || c is ':' or '.' or '_' or '-' or '+'))
        {
            return false;
        }

        if ("-?:,[]{}#&*!|>'\"%@`".IndexOf(s[0]) >= 0)
        {
            return false;
        }

        return s.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '=' or '+' or '@' or ' ')
            && !s.Contains(": ") && !s.Contains(" #") && !s.EndsWith(":");
    }
}
