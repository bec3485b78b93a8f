using GitOrch.Api.Model;
using GitOrch.Engine.Sources;
using GitOrch.Engine.Sources.Planning;
using Xunit;

namespace GitOrch.Tests.Engine.Sources.Planning;

public sealed class PlannerDiffTests
{
    public static TheoryData<string, Action<ConfigMap>, Action<ConfigMap>, string> Cases => new()
    {
        { "same object", _ => { }, _ => { }, "" },
        { "data value changed", d => d.Data!["k"] = "new", _ => { }, "data.k" },
        { "data key added in Git", d => d.Data!["k2"] = "v", _ => { }, "data.k2" },
        { "data key only live is not drift", _ => { }, l => l.Data!["extra"] = "x", "" },
        { "label changed", d => d.Metadata.Labels = new() { ["app"] = "b" }, l => l.Metadata.Labels = new() { ["app"] = "a" }, "metadata.labels.app" },
        { "annotation added in Git", d => d.Metadata.Annotations = new() { ["note"] = "x" }, l => l.Metadata.Annotations = new() { ["other"] = "y" }, "metadata.annotations.note" },
        { "annotations where live has none: the whole map", d => d.Metadata.Annotations = new() { ["note"] = "x" }, _ => { }, "metadata.annotations" },
        { "the source's commit annotation is not drift", d => d.Metadata.Annotations = new() { [SourceLabels.Commit] = "abc" }, l => l.Metadata.Annotations = new() { [SourceLabels.Commit] = "def" }, "" },
        { "server-set metadata is not drift", _ => { }, l => { l.Metadata.Uid = "u-1"; l.Metadata.ResourceVersion = "42"; l.Metadata.Generation = 3; }, "" },
        { "two changes are both reported", d => { d.Data!["k"] = "new"; d.Metadata.Labels = new() { ["tier"] = "web" }; }, l => l.Metadata.Labels = new() { ["tier"] = "db" }, "data.k, metadata.labels.tier" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Diff_reports_the_fields_Git_sets_that_differ_live(string why, Action<ConfigMap> desired, Action<ConfigMap> live, string paths)
    {
        var d = ConfigMap();
        var l = ConfigMap();
        desired(d);
        live(l);

        var changes = Planner.Diff(d, l);

        Assert.True(paths == string.Join(", ", changes.Select(c => c.Path).Order(StringComparer.Ordinal)), $"{why}: got {string.Join(", ", changes.Select(c => c.Path))}");
    }

    private static ConfigMap ConfigMap() => new()
    {
        Metadata = new ObjectMeta { Name = "settings", Namespace = "default" },
        Data = new() { ["k"] = "v" },
    };
}
