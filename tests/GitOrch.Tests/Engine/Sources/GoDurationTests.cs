using GitOrch.Engine.Sources;
using Xunit;

namespace GitOrch.Tests.Engine.Sources;

public sealed class GoDurationTests
{
    private static readonly TimeSpan Fallback = TimeSpan.FromMinutes(7);

    [Theory]
    [InlineData("1m", 60_000)]
    [InlineData("30s", 30_000)]
    [InlineData("500ms", 500)]
    [InlineData("2h", 7_200_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1m30s500ms", 90_500)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("0.5s", 500)]
    [InlineData("1h1h", 7_200_000)]
    [InlineData(" 10s ", 10_000)]
    [InlineData("8760h", 31_536_000_000)]
    public void Go_durations_parse(string text, long milliseconds)
        => Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), GoDuration.Parse(text, Fallback));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("10")]
    [InlineData("10x")]
    [InlineData("m")]
    [InlineData("-5s")]
    [InlineData("1 m")]
    [InlineData("1.m")]
    [InlineData("0s")]
    [InlineData("0h0m")]
    public void Invalid_or_zero_durations_give_the_fallback(string? text) => Assert.Equal(Fallback, GoDuration.Parse(text, Fallback));

    [Theory]
    [InlineData("99999999999999999h")]
    [InlineData("9223372036854775807h")]
    [InlineData("200000000h200000000h")]
    public void Durations_past_the_range_of_TimeSpan_give_the_fallback(string text)
        => Assert.Equal(Fallback, GoDuration.Parse(text, Fallback));

    [Fact]
    public void Digits_past_the_range_of_double_give_the_fallback()
        => Assert.Equal(Fallback, GoDuration.Parse(new string('9', 400) + "s", Fallback));
}
