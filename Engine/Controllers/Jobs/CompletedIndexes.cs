using System.Globalization;
using System.Text;

namespace GitOrch.Engine.Controllers.Jobs;

/// <summary>status.completedIndexes of an Indexed Job: sorted ranges, "1,3-5,7".</summary>
public static class CompletedIndexes
{
    public static string? Format(IEnumerable<int> indexes)
    {
        var sorted = indexes.Distinct().OrderBy(i => i).ToList();
        if (sorted.Count == 0)
        {
            return null;
        }

        var sb = new StringBuilder();
        var start = sorted[0];
        var prev = start;
        for (var i = 1; i <= sorted.Count; i++)
        {
            if (i < sorted.Count && sorted[i] == prev + 1)
            {
                prev = sorted[i];
                continue;
            }

            if (sb.Length > 0)
            {
                sb.Append(',');
            }

            sb.Append(start.ToString(CultureInfo.InvariantCulture));
            if (prev != start)
            {
                sb.Append('-').Append(prev.ToString(CultureInfo.InvariantCulture));
            }

            if (i < sorted.Count)
            {
                start = prev = sorted[i];
            }
        }

        return sb.ToString();
    }

    /// <summary>Parses the format back; malformed parts are skipped (status is ours, but a person may have edited it).</summary>
    public static SortedSet<int> Parse(string? text)
    {
        var set = new SortedSet<int>();
        if (string.IsNullOrEmpty(text))
        {
            return set;
        }

        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-');
            if (dash < 0)
            {
                if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var one))
                {
                    set.Add(one);
                }
            }
            else if (int.TryParse(part.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var a)
                && int.TryParse(part.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var b))
            {
                for (var i = a; i <= b; i++)
                {
                    set.Add(i);
                }
            }
        }

        return set;
    }
}
