using System.Text.Json.Nodes;
using GitOrch.Engine.Sources.Planning;
using Xunit;

namespace GitOrch.Tests.Engine.Sources.Planning;

public sealed class JsonDiffTests
{
    [Theory]
    // what Git sets must be live; what Git leaves out (defaults, status) is not drift
    [InlineData("""{"a":1}""", """{"a":1}""", "")]
    [InlineData("""{"a":1}""", """{"a":1,"b":2}""", "")]
    [InlineData("""{"a":1}""", """{"a":2}""", "a: 2 -> 1")]
    [InlineData("""{"a":1}""", """{}""", "a: null -> 1")]
    [InlineData("""{"a":{"b":"x"}}""", """{"a":{"b":"y","c":1}}""", "a.b: \"y\" -> \"x\"")]
    [InlineData("""{"a":{"b":1,"c":2}}""", """{"a":{"b":9,"c":8}}""", "a.b: 9 -> 1 | a.c: 8 -> 2")]
    // arrays of the same length compare element by element, others as a whole
    [InlineData("""{"l":[1,2,3]}""", """{"l":[1,5,3]}""", "l[1]: 5 -> 2")]
    [InlineData("""{"l":[{"n":"a","v":1}]}""", """{"l":[{"n":"a","v":1,"x":0}]}""", "")]
    [InlineData("""{"l":[1,2]}""", """{"l":[1,2,3]}""", "l: [1,2,3] -> [1,2]")]
    // a type change is a change of the whole value
    [InlineData("""{"a":{"b":1}}""", """{"a":"text"}""", "a: \"text\" -> {\"b\":1}")]
    [InlineData("""{"a":"1"}""", """{"a":1}""", "a: 1 -> \"1\"")]
    // a null in Git asks for nothing
    [InlineData("""{"a":null}""", """{"a":5}""", "")]
    public void Only_fields_git_sets_and_live_differs_on_are_changes(string desired, string live, string expected)
    {
        var changes = new List<FieldChange>();

        JsonDiff.Compare(JsonNode.Parse(desired), JsonNode.Parse(live), "", changes);

        Assert.Equal(expected, string.Join(" | ", changes.Select(c => $"{c.Path}: {c.From ?? "null"} -> {c.To}")));
    }

    [Fact]
    public void Paths_start_from_the_given_prefix()
    {
        var changes = new List<FieldChange>();

        JsonDiff.Compare(JsonNode.Parse("""{"replicas":3}"""), JsonNode.Parse("""{"replicas":1}"""), "spec", changes);

        Assert.Equal("spec.replicas", Assert.Single(changes).Path);
    }
}
