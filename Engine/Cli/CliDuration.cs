using System.Globalization;

namespace GitOrch.Engine.Cli;

/// <summary>Durations as Kubernetes flags write them: <c>6s</c>, <c>500ms</c>, <c>2m</c>, <c>1h</c> (a bare number is seconds).</summary>
public static class CliDuration
{
    public static TimeSpan Parse(string flag, string value)
    {
        var v = value.Trim();
        var (number, unit) = v.EndsWith("ms", StringComparison.Ordinal) ? (v[..^2], 0.001)
            : v.EndsWith('s') ? (v[..^1], 1.0)
            : v.EndsWith('m') ? (v[..^1], 60.0)
            : v.EndsWith('h') ? (v[..^1], 3600.0)
            : (v, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n < 0)
        {
            throw new FormatException($"{flag}: \"{value}\" is not a duration (e.g. 6s, 500ms, 2m)");
        }

        return TimeSpan.FromSeconds(n * unit);
    }
}
