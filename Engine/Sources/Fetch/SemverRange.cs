namespace GitOrch.Engine.Sources.Fetch;

/// <summary>
/// The subset of semver ranges GitSources use to follow tags: comparators (&gt;=1.2.0 &lt;2.0.0),
/// x-ranges (1.2.x, 1.*), caret (^1.2) and tilde (~1.2), alternatives with ||. Pre-releases are skipped.
/// </summary>
public sealed class SemverRange
{
    private readonly List<List<(string Op, Version V)>> _alternatives;

    private SemverRange(List<List<(string, Version)>> alternatives) => _alternatives = alternatives;

    public static SemverRange Parse(string range)
    {
        var alternatives = new List<List<(string, Version)>>();
        foreach (var alt in range.Split("||", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var comparators = new List<(string, Version)>();
            foreach (var part in alt.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                AddComparators(part, comparators);
            }

            alternatives.Add(comparators);
        }

        if (alternatives.Count == 0)
        {
            alternatives.Add(new());
        }

        return new SemverRange(alternatives);
    }

    public bool Matches(Version v) => _alternatives.Any(a => a.All(c => c.Op switch
    {
        ">=" => v >= c.V,
        ">" => v > c.V,
        "<=" => v <= c.V,
        "<" => v < c.V,
        _ => v == c.V,
    }));

    /// <summary>Parses "v1.2.3" or "1.2.3"; null for anything else (pre-releases included).</summary>
    public static Version? ParseVersion(string tag)
    {
        var t = tag.StartsWith('v') || tag.StartsWith('V') ? tag[1..] : tag;
        var parts = t.Split('.');
        if (parts.Length is < 1 or > 3 || parts.Any(p => p.Length == 0 || !p.All(char.IsAsciiDigit)))
        {
            return null;
        }

        var n = parts.Select(int.Parse).Concat(new[] { 0, 0 }).Take(3).ToArray();
        return new Version(n[0], n[1], n[2]);
    }

    private static void AddComparators(string part, List<(string, Version)> into)
    {
        if (part is "*" or "x" or "X")
        {
            return;
        }

        var op = new string(part.TakeWhile(c => c is '<' or '>' or '=' or '^' or '~').ToArray());
        var rest = part[op.Length..].TrimStart('v', 'V');
        var pieces = rest.Split('.');
        var wild = pieces.Select(p => p is "x" or "X" or "*").ToArray();
        var nums = pieces.Select(p => int.TryParse(p, out var n) ? n : 0).Concat(new[] { 0, 0, 0 }).Take(3).ToArray();
        var given = pieces.Length;
        var firstWild = Array.IndexOf(wild, true);
        var specified = firstWild >= 0 ? firstWild : Math.Min(given, 3);
        var low = new Version(nums[0], specified > 1 ? nums[1] : 0, specified > 2 ? nums[2] : 0);
        switch (op)
        {
            case "^":
                into.Add((">=", low));
                into.Add(("<", low.Major > 0 || specified == 1 ? new Version(low.Major + 1, 0, 0) : low.Minor > 0 || specified == 2 ? new Version(0, low.Minor + 1, 0) : new Version(0, 0, low.Build + 1)));
                return;
            case "~":
                into.Add((">=", low));
                into.Add(("<", specified >= 2 ? new Version(low.Major, low.Minor + 1, 0) : new Version(low.Major + 1, 0, 0)));
                return;
            case "" or "=" when specified < 3:
                // 1.2 or 1.2.x: everything in that minor (or major).
                into.Add((">=", low));
                into.Add(("<", specified == 2 ? new Version(low.Major, low.Minor + 1, 0) : new Version(low.Major + 1, 0, 0)));
                return;
            default:
                into.Add((op.Length == 0 ? "=" : op, low));
                return;
        }
    }
}
