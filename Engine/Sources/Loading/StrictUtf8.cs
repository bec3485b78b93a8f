using System.Text;
using System.Text.Unicode;

namespace GitOrch.Engine.Sources.Loading;

/// <summary>
/// Decodes a manifest's bytes as UTF-8 and refuses anything else, naming the line of the first bad byte: replacing
/// bad bytes with U+FFFD (what a lenient decoder does) would apply a value nobody wrote.
/// </summary>
public static class StrictUtf8
{
    private static readonly byte[] Bom = { 0xEF, 0xBB, 0xBF };

    /// <exception cref="ManifestException">The bytes are not UTF-8; its line is where the first bad byte sits.</exception>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith(Bom))
        {
            bytes = bytes[Bom.Length..];
        }

        if (Utf8.IsValid(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        var offset = FirstInvalidOffset(bytes);
        var line = bytes[..offset].Count((byte)'\n') + 1;
        throw new ManifestException(line, $"not valid UTF-8: byte 0x{bytes[offset]:X2} at offset {offset} (save the file as UTF-8)");
    }

    private static int FirstInvalidOffset(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return bytes.Length - 1;
    }
}
