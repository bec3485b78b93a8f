using GitOrch.Api.Model;
using GitOrch.Api.Selectors;
using Xunit;

namespace GitOrch.Tests.Api.Selectors;

public sealed class SelectorTests
{
    private static readonly Dictionary<string, string> Web = new() { ["app"] = "web", ["tier"] = "front" };

    [Theory]
    [InlineData("app=web", true)]
    [InlineData("app==web", true)]
    [InlineData("app!=web", false)]
    [InlineData("app in (web, db)", true)]
    [InlineData("app notin (web)", false)]
    [InlineData("tier", true)]
    [InlineData("!tier", false)]
    [InlineData("app=web,tier=back", false)]
    [InlineData("", true)]
    public void String_selectors_match_like_kubectl(string text, bool matches)
        => Assert.Equal(matches, Selector.Parse(text).Matches(Web));

    [Theory]
    [InlineData("app in web")]
    [InlineData("=web")]
    [InlineData("a b=c")]
    public void Malformed_selectors_are_errors(string text) => Assert.Throws<FormatException>(() => Selector.Parse(text));

    [Fact]
    public void LabelSelector_objects_combine_matchLabels_and_expressions()
    {
        var selector = Selector.FromLabelSelector(new LabelSelector
        {
            MatchLabels = new() { ["app"] = "web" },
            MatchExpressions = new() { new LabelSelectorRequirement { Key = "tier", Operator = "NotIn", Values = new() { "back" } } },
        });
        Assert.True(selector.Matches(Web));
        Assert.False(selector.Matches(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "back" }));
        Assert.Equal("app=web,tier notin (back)", selector.ToString());
    }

    [Fact]
    public void Unknown_operator_is_an_error()
        => Assert.Throws<FormatException>(() => Selector.FromLabelSelector(new LabelSelector { MatchExpressions = new() { new LabelSelectorRequirement { Key = "a", Operator = "Like" } } }));
}
