using System.Text;

namespace GitOrch.Engine.Store;

/// <summary>
/// Replaces <c>metadata.resourceVersion</c> in an object's serialized JSON. Metadata is written right after
/// apiVersion and kind, and nothing before resourceVersion in it (name, namespace, uid) can hold a quote, so the
/// first <c>"resourceVersion":"&lt;old&gt;"</c> is always metadata's own.
/// </summary>
internal static class ResourceVersionSplice
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("\"resourceVersion\":\"");

    /// <summary>The JSON with the new value, or null when the old one is not where it should be.</summary>
    public static byte[]? Replace(byte[] json, string oldValue, string newValue)
    {
        var at = json.AsSpan().IndexOf(Key);
        if (at < 0)
        {
            return null;
        }

        var start = at + Key.Length;
        var old = Encoding.UTF8.GetBytes(oldValue + "\"");
        if (!json.AsSpan(start).StartsWith(old))
        {
            return null;
        }

        var replacement = Encoding.UTF8.GetBytes(newValue);
        var result = new byte[json.Length - (old.Length - 1) + replacement.Length];
        json.AsSpan(0, start).CopyTo(result);
        replacement.CopyTo(result.AsSpan(start));
        json.AsSpan(start + old.Length - 1).CopyTo(result.AsSpan(start + replacement.Length));
        return result;
    }

    /// <summary>The JSON with <c>metadata.resourceVersion</c> set to <paramref name="newValue"/> whatever it held, or null when it has none.</summary>
    public static byte[]? Set(byte[] json, string newValue)
    {
        var at = json.AsSpan().IndexOf(Key);
        if (at < 0)
        {
            return null;
        }

        var start = at + Key.Length;
        var end = json.AsSpan(start).IndexOf((byte)'"');
        return end < 0 ? null : Replace(json, Encoding.UTF8.GetString(json, start, end), newValue);
    }
}
