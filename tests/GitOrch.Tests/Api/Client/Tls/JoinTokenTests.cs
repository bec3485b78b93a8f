using GitOrch.Api.Client.Tls;
using Xunit;

namespace GitOrch.Tests.Api.Client.Tls;

/// <summary>Both join token forms: K10 (CA fingerprint + agent token) and the plain agent token.</summary>
public sealed class JoinTokenTests
{
    private static readonly string Fingerprint = new('a', 64);

    [Fact]
    public void A_K10_token_carries_the_fingerprint_and_the_token()
    {
        var join = JoinToken.Parse("K10" + Fingerprint + "::secret-token\n", "join.token");
        Assert.Equal(Fingerprint, join.CaFingerprint);
        Assert.Equal("secret-token", join.Token);
        Assert.Equal("K10" + Fingerprint + "::secret-token", JoinToken.Format(Fingerprint, "secret-token"));
    }

    [Fact]
    public void A_plain_token_has_no_fingerprint()
    {
        var join = JoinToken.Parse("0123456789abcdef\n", "agent.token");
        Assert.Null(join.CaFingerprint);
        Assert.Equal("0123456789abcdef", join.Token);
    }

    [Theory]
    [InlineData("K10abc::token")]
    [InlineData("")]
    public void A_malformed_or_empty_token_is_refused_naming_the_file(string text)
    {
        var e = Assert.Throws<FormatException>(() => JoinToken.Parse(text, "/etc/gitorch/join.token"));
        Assert.Contains("/etc/gitorch/join.token", e.Message, StringComparison.Ordinal);
    }
}
