using System;
using System.Globalization;

namespace GitOrch.Module.Formatting;

/// <summary>kubectl's short durations ("45s", "5m12s", "3h", "2d4h") for the AGE columns of the views.</summary>
public static class Age
{
    public static string Format(TimeSpan? age)
    {
        if (age == null)
        {
            return "<unknown>";
        }

        var d = age.Value < TimeSpan.Zero ? TimeSpan.Zero : age.Value;
        string F(double v) => ((long)v).ToString(CultureInfo.InvariantCulture);
        if (d.TotalSeconds < 120)
        {
            return F(d.TotalSeconds) + "s";
        }

        if (d.TotalMinutes < 10)
        {
            return d.Seconds == 0 ? F(d.TotalMinutes) + "m" : F(d.TotalMinutes) + "m" + F(d.Seconds) + "s";
        }

        if (d.TotalHours < 3)
        {
            return F(d.TotalMinutes) + "m";
        }

        if (d.TotalHours < 8)
        {
            return d.Minutes == 0 ? F(d.TotalHours) + "h" : F(d.TotalHours) + "h" + F(d.Minutes) + "m";
        }

        if (d.TotalHours < 48)
        {
            return F(d.TotalHours) + "h";
        }

        if (d.TotalDays < 8)
        {
            return d.Hours == 0 ? F(d.TotalDays) + "d" : F(d.TotalDays) + "d" + F(d.Hours) + "h";
        }

        return F(d.TotalDays) + "d";
    }

    public static TimeSpan? Since(DateTimeOffset? time) => time == null ? null : DateTimeOffset.UtcNow - time.Value;
}
