using System.Globalization;

namespace GitOrch.Bench;

/// <summary>A scenario's figures, printed as the machine-readable <c>RESULT</c> line.</summary>
public sealed class BenchResult
{
    private readonly List<(string Key, double Value)> _figures = new();

    public BenchResult(string scenario) => Scenario = scenario;

    public string Scenario { get; }

    public BenchResult Add(string key, double value)
    {
        _figures.Add((key, value));
        return this;
    }

    public string Figures => string.Join(" ", _figures.Select(f => $"{f.Key}={Format(f.Value)}"));

    public string ResultLine => $"RESULT {Scenario} {Figures}";

    private static string Format(double v) => Math.Abs(v) >= 100 ? v.ToString("0", CultureInfo.InvariantCulture) : v.ToString("0.###", CultureInfo.InvariantCulture);
}
