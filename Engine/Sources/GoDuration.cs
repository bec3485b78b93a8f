using System.Globalization;
using System.Text.RegularExpressions;

namespace GitOrch.Engine.Sources;

/// <summary>Go/Kubernetes duration strings ("1m", "30s", "1h30m", "500ms"), as GitSource specs write them.</summary>
public static partial class GoDuration
{
    [GeneratedRegex(@"^(?:(\d+(?:\.\d+)?)(h|ms|m|s))+$")]
    private static partial Regex Whole();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(h|ms|m|s)")]
    private static partial Regex Part();

    public static TimeSpan Parse(string? text, TimeSpan fallback)
    {
        if (string.IsNullOrWhiteSpace(text) || !Whole().IsMatch(text.Trim()))
        {
            return fallback;
        }

        var total = TimeSpan.Zero;
        foreach (Match m in Part().Matches(text.Trim()))
        {
            // Digits past double's range parse as infinity; FromHours and + then throw. Go rejects such a duration
            // ("invalid duration"), so it gets the fallback like any other invalid text.
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            try
            {
                total += m.Groups[2].Value switch
                {
                    "h" => TimeSpan.FromHours(n),
                    "m" => TimeSpan.FromMinutes(n),
                    "s" => TimeSpan.FromSeconds(n),
                    _ => TimeSpan.FromMilliseconds(n),
                };
            }
            catch (OverflowException)
            {
                return fallback;
            }
        }

        return total > TimeSpan.Zero ? total : fallback;
    }
}
