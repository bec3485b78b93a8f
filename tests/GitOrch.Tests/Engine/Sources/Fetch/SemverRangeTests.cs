using GitOrch.Engine.Sources.Fetch;
using Xunit;

namespace GitOrch.Tests.Engine.Sources.Fetch;

public sealed class SemverRangeTests
{
    [Theory]
    // comparators
    [InlineData(">=1.2.0 <2.0.0", "1.2.0", true)]
    [InlineData(">=1.2.0 <2.0.0", "1.9.9", true)]
    [InlineData(">=1.2.0 <2.0.0", "2.0.0", false)]
    [InlineData(">=1.2.0 <2.0.0", "1.1.9", false)]
    [InlineData(">1.2.0", "1.2.0", false)]
    [InlineData("<=1.2.0", "1.2.0", true)]
    [InlineData("=1.2.3", "1.2.3", true)]
    [InlineData("1.2.3", "1.2.4", false)]
    [InlineData(">=v1.2.0", "1.3.0", true)]
    // commas as Flux's semver library writes them
    [InlineData(">=1.2.0, <2.0.0", "1.5.0", true)]
    [InlineData(">=1.2.0, <2.0.0", "2.0.0", false)]
    // x-ranges
    [InlineData("1.2.x", "1.2.7", true)]
    [InlineData("1.2.x", "1.3.0", false)]
    [InlineData("1.*", "1.99.0", true)]
    [InlineData("1.*", "2.0.0", false)]
    [InlineData("1.2", "1.2.5", true)]
    [InlineData("1", "1.4.0", true)]
    [InlineData("*", "7.0.0", true)]
    [InlineData("", "0.0.1", true)]
    // caret
    [InlineData("^1.2", "1.9.0", true)]
    [InlineData("^1.2", "1.1.0", false)]
    [InlineData("^1.2", "2.0.0", false)]
    [InlineData("^0.2.3", "0.2.9", true)]
    [InlineData("^0.2.3", "0.3.0", false)]
    [InlineData("^0.0.3", "0.0.4", false)]
    // tilde
    [InlineData("~1.2", "1.2.9", true)]
    [InlineData("~1.2", "1.3.0", false)]
    [InlineData("~1", "1.9.0", true)]
    [InlineData("~1.2.3", "1.2.2", false)]
    // hyphen ranges and alternatives
    [InlineData("1.2 - 1.4", "1.4.9", true)]
    [InlineData("1.2 - 1.4", "1.5.0", false)]
    [InlineData("1.x || >=3.0.0", "2.5.0", false)]
    [InlineData("1.x || >=3.0.0", "3.1.0", true)]
    // pre-releases: skipped unless the range names one; then every version's pre-releases count
    [InlineData("^1.0", "1.5.0-rc.1", false)]
    [InlineData("*", "1.0.0-alpha", false)]
    [InlineData(">=1.0.0-0", "1.5.0-rc.1", true)]
    [InlineData(">=1.0.0-0", "1.0.0-alpha", true)]
    [InlineData(">=1.0.0-0", "0.9.0-rc.1", false)]
    [InlineData(">=1.2.0-rc.2 <2.0.0", "1.2.0-rc.1", false)]
    [InlineData(">=1.2.0-rc.2 <2.0.0", "1.2.0-rc.10", true)]
    // build metadata does not count
    [InlineData("1.2.3", "1.2.3+build.5", true)]
    public void Range_matches_the_versions_npm_and_Flux_document(string range, string tag, bool matches)
    {
        var version = SemverRange.ParseVersion(tag);

        Assert.NotNull(version);
        Assert.Equal(matches, SemverRange.Parse(range).Matches(version));
    }

    [Theory]
    [InlineData("v1.2.3", "1.2.3")]
    [InlineData("V1.2.3", "1.2.3")]
    [InlineData("1.2", "1.2.0")]
    [InlineData("v1", "1.0.0")]
    [InlineData("01.2.3", "1.2.3")]
    [InlineData("1.2.3-rc.1", "1.2.3-rc.1")]
    [InlineData("v2.0.0+sha.abc", "2.0.0+sha.abc")]
    public void Tags_that_are_versions_parse(string tag, string expected)
        => Assert.Equal(expected, SemverRange.ParseVersion(tag)?.ToString());

    [Theory]
    [InlineData("release")]
    [InlineData("v1.2.3.4")]
    [InlineData("1.2.3-")]
    [InlineData("latest")]
    [InlineData("")]
    public void Tags_that_are_not_versions_give_null(string tag) => Assert.Null(SemverRange.ParseVersion(tag));

    [Theory]
    [InlineData("garbage")]
    [InlineData(">=1.2.0 <")]
    [InlineData("^^1")]
    public void Invalid_range_is_a_fetch_error_naming_the_range(string range)
    {
        var e = Assert.Throws<GitFetchException>(() => SemverRange.Parse(range));

        Assert.Equal("InvalidSemverRange", e.Reason);
        Assert.Contains(range, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Versions_order_by_precedence_so_the_newest_matching_tag_wins()
    {
        var tags = new[] { "v1.10.0", "v1.2.0", "v1.10.0-rc.1", "v1.9.0", "v2.0.0" };
        var range = SemverRange.Parse("^1.0");

        var newest = tags.Select(t => (Tag: t, V: SemverRange.ParseVersion(t)!))
            .Where(x => range.Matches(x.V))
            .OrderByDescending(x => x.V)
            .First().Tag;

        Assert.Equal("v1.10.0", newest);
        Assert.True(SemverRange.ParseVersion("1.0.0-rc.1")!.CompareTo(SemverRange.ParseVersion("1.0.0")) < 0);
        Assert.Equal(0, SemverRange.ParseVersion("1.0.0+a")!.CompareTo(SemverRange.ParseVersion("1.0.0+b")));
    }
}
