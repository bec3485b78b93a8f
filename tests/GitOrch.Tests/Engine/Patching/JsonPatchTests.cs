using System.Text;
using System.Text.Json.Nodes;
using GitOrch.Engine.Patching;
using Xunit;

namespace GitOrch.Tests.Engine.Patching;

/// <summary>RFC 6902 JSON patch through the maintained library: every operation, and errors that name the operation and path.</summary>
public sealed class JsonPatchTests
{
    private const string Doc = """{"metadata":{"name":"p","labels":{"a":"1"}},"spec":{"containers":[{"name":"web","image":"web:1"},{"name":"side","image":"side:1"}]}}""";

    [Theory]
    [InlineData("""[{"op":"add","path":"/metadata/labels/b","value":"2"}]""", "/metadata/labels", """{"a":"1","b":"2"}""")]
    [InlineData("""[{"op":"remove","path":"/metadata/labels/a"}]""", "/metadata/labels", """{}""")]
    [InlineData("""[{"op":"replace","path":"/spec/containers/0/image","value":"web:2"}]""", "/spec/containers/0/image", "\"web:2\"")]
    [InlineData("""[{"op":"add","path":"/spec/containers/-","value":{"name":"log"}}]""", "/spec/containers/2/name", "\"log\"")]
    [InlineData("""[{"op":"remove","path":"/spec/containers/0"}]""", "/spec/containers/0/name", "\"side\"")]
    [InlineData("""[{"op":"move","from":"/metadata/labels/a","path":"/metadata/labels/z"}]""", "/metadata/labels", """{"z":"1"}""")]
    [InlineData("""[{"op":"copy","from":"/spec/containers/0/image","path":"/metadata/labels/img"}]""", "/metadata/labels/img", "\"web:1\"")]
    [InlineData("""[{"op":"test","path":"/metadata/labels/a","value":"1"},{"op":"replace","path":"/metadata/labels/a","value":"9"}]""", "/metadata/labels/a", "\"9\"")]
    public void Applies_each_operation(string patch, string pointer, string expected)
    {
        var result = JsonPatch.Apply(Obj(Doc), Encoding.UTF8.GetBytes(patch));
        Assert.Equal(expected, At(result, pointer)!.ToJsonString());
    }

    [Fact]
    public void A_failed_test_leaves_the_object_unchanged_and_names_the_operation()
    {
        var original = Obj(Doc);
        var e = Assert.Throws<PatchException>(() => JsonPatch.Apply(original, Encoding.UTF8.GetBytes("""[{"op":"replace","path":"/metadata/labels/a","value":"x"},{"op":"test","path":"/metadata/labels/a","value":"2"}]""")));
        Assert.Equal("[1] test /metadata/labels/a", e.Path);
        Assert.False(e.Malformed);
        Assert.Equal(Doc, original.ToJsonString());
    }

    [Fact]
    public void Removing_a_missing_path_names_it()
    {
        var e = Assert.Throws<PatchException>(() => JsonPatch.Apply(Obj(Doc), Encoding.UTF8.GetBytes("""[{"op":"remove","path":"/spec/nodeName"}]""")));
        Assert.Equal("[0] remove /spec/nodeName", e.Path);
    }

    [Theory]
    [InlineData("""{"op":"add","path":"/a","value":1}""")]
    [InlineData("""[{"op":"explode","path":"/a"}]""")]
    [InlineData("""[{"op":"add",""")]
    public void A_malformed_document_is_refused(string patch)
    {
        var e = Assert.Throws<PatchException>(() => JsonPatch.Apply(Obj(Doc), Encoding.UTF8.GetBytes(patch)));
        Assert.True(e.Malformed, e.Message);
    }

    private static JsonNode? At(JsonNode node, string pointer)
    {
        foreach (var part in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node is JsonArray a ? a[int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)]! : node[part]!;
        }

        return node;
    }

    private static JsonObject Obj(string json) => (JsonObject)JsonNode.Parse(json)!;
}
