using System.Text;
using GitOrch.Engine.Sources.Loading;
using Xunit;

namespace GitOrch.Tests.Engine.Sources.Loading;

public sealed class StrictUtf8Tests
{
    [Fact]
    public void Utf8_with_or_without_a_byte_order_mark_decodes_unchanged()
    {
        var text = "name: café ☕\n";
        Assert.Equal(text, StrictUtf8.Decode(Encoding.UTF8.GetBytes(text)));
        Assert.Equal(text, StrictUtf8.Decode(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray()));
    }

    [Theory]
    [InlineData(new byte[] { (byte)'a', (byte)'\n', (byte)'b', 0xE9, (byte)'\n' }, 2, "0xE9")]
    [InlineData(new byte[] { 0xFF, (byte)'\n' }, 1, "0xFF")]
    [InlineData(new byte[] { (byte)'\n', (byte)'\n', (byte)'x', 0xE2, 0x82 }, 3, "0xE2")] // truncated sequence at the end
    public void Bad_bytes_are_refused_naming_the_line_and_the_byte(byte[] bytes, int line, string shown)
    {
        var e = Assert.Throws<ManifestException>(() => StrictUtf8.Decode(bytes));
        Assert.Equal(line, e.Line);
        Assert.Contains(shown, e.Message);
    }
}
