using Cronos;

namespace GitOrch.Engine.Controllers.CronJobs;

/// <summary>A CronJob's spec.schedule read in its spec.timeZone (UTC when unset), as Kubernetes reads it.</summary>
public sealed class CronSchedule
{
    private readonly CronExpression _expression;

    private CronSchedule(CronExpression expression, TimeZoneInfo zone)
    {
        _expression = expression;
        Zone = zone;
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>Parses; on failure returns null with the reason a person can act on.</summary>
    public static CronSchedule? TryParse(string? schedule, string? timeZone, out string? error)
    {
        error = null;
        var text = (schedule ?? "").Trim();
        if (text.StartsWith("TZ=", StringComparison.Ordinal) || text.StartsWith("CRON_TZ=", StringComparison.Ordinal))
        {
            error = "TZ in spec.schedule is not supported: use spec.timeZone";
            return null;
        }

        // Descriptors Kubernetes (robfig/cron) accepts that Cronos spells differently.
        text = text switch
        {
            "@annually" => "@yearly",
            "@midnight" => "@daily",
            _ => text,
        };

        TimeZoneInfo zone;
        try
        {
            zone = string.IsNullOrEmpty(timeZone) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            error = $"unknown time zone \"{timeZone}\"";
            return null;
        }

        if (!CronExpression.TryParse(text, CronFormat.Standard, out var expression))
        {
            error = $"invalid schedule \"{schedule}\"";
            return null;
        }

        return new CronSchedule(expression, zone);
    }

    /// <summary>The latest scheduled time in (<paramref name="after"/>, <paramref name="now"/>], or null if none fell in it.</summary>
    public DateTimeOffset? MostRecent(DateTimeOffset after, DateTimeOffset now)
    {
        if (now <= after)
        {
            return null;
        }

        var t = _expression.GetPreviousOccurrence(now, Zone, inclusive: true);
        return t is { } v && v > after ? v : null;
    }

    /// <summary>How many scheduled times fell in (<paramref name="after"/>, <paramref name="now"/>], counting no further than <paramref name="cap"/>.</summary>
    public int Missed(DateTimeOffset after, DateTimeOffset now, int cap = 100)
        => now <= after ? 0 : _expression.GetOccurrences(after, now, Zone, fromInclusive: false, toInclusive: true).Take(cap).Count();

    public DateTimeOffset? Next(DateTimeOffset from) => _expression.GetNextOccurrence(from, Zone, inclusive: false);
}
