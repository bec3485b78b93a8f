using GitOrch.Api.Model;
using GitOrch.Api.Serialization;
using Xunit;

namespace GitOrch.Tests.Api.Model;

public sealed class QuantityTests
{
    [Theory]
    [InlineData("500m", 0.5)]
    [InlineData("2", 2)]
    [InlineData("1.5", 1.5)]
    [InlineData("128Mi", 134217728)]
    [InlineData("1Gi", 1073741824)]
    [InlineData("1G", 1000000000)]
    [InlineData("100k", 100000)]
    [InlineData("1e3", 1000)]
    [InlineData("24554888Ki", 25144205312)]
    public void Parses_every_suffix_to_base_units(string text, double expected)
        => Assert.Equal((decimal)expected, Quantity.Parse(text).Value);

    [Fact]
    public void Compares_by_value_not_text()
    {
        Assert.Equal(Quantity.Parse("1"), Quantity.Parse("1000m"));
        Assert.True(Quantity.Parse("1Gi") > Quantity.Parse("1G"));
        Assert.True(Quantity.Parse("250m") < Quantity.Parse("0.3"));
        Assert.Equal(500, Quantity.Parse("0.5").Milli);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("12Qi")]
    public void Rejects_malformed_text(string text) => Assert.False(Quantity.TryParse(text, out _));

    [Fact]
    public void Keeps_the_text_it_was_written_with()
    {
        var r = KubeJson.Deserialize<ResourceRequirements>("""{"limits":{"cpu":"500m","memory":128}}""");
        Assert.Equal("""{"limits":{"cpu":"500m","memory":"128"}}""", KubeJson.Serialize(r));
    }

    [Fact]
    public void IntOrString_reads_both_forms_and_scales_percentages()
    {
        var s = KubeJson.Deserialize<RollingUpdateDeployment>("""{"maxSurge":"25%","maxUnavailable":1}""");
        Assert.True(s.MaxSurge!.Value.IsString);
        Assert.Equal(3, s.MaxSurge.Value.Scaled(10, roundUp: true));
        Assert.Equal(2, s.MaxSurge.Value.Scaled(10, roundUp: false));
        Assert.Equal(1, s.MaxUnavailable!.Value.Scaled(10, roundUp: false));
        Assert.Equal("""{"maxUnavailable":1,"maxSurge":"25%"}""", KubeJson.Serialize(s));
    }
}
