using System.Globalization;

namespace GitOrch.Engine.Http.Tables;

/// <summary>Ages as kubectl prints them (apimachinery's HumanDuration): 45s, 3m20s, 15m, 5h30m, 20h, 3d4h, 120d, 3y45d.</summary>
internal static class HumanDuration
{
    public static string Since(DateTimeOffset? then, DateTimeOffset now) => then == null ? "<unknown>" : Format(now - then.Value);

    public static string Format(TimeSpan d)
    {
        static string I(double v) => ((long)v).ToString(CultureInfo.InvariantCulture);
        var s = Math.Max(0, d.TotalSeconds);
        return s switch
        {
            < 120 => I(s) + "s",
            < 600 => $"{I(s / 60)}m{I(s % 60)}s" is var ms && ms.EndsWith("m0s", StringComparison.Ordinal) ? ms[..^2] : $"{I(s / 60)}m{I(s % 60)}s",
            < 3 * 3600 => I(s / 60) + "m",
            < 8 * 3600 => (long)(s / 60) % 60 == 0 ? I(s / 3600) + "h" : $"{I(s / 3600)}h{I(s / 60 % 60)}m",
            < 48 * 3600 => I(s / 3600) + "h",
            < 8 * 86400 => (long)(s / 3600) % 24 == 0 ? I(s / 86400) + "d" : $"{I(s / 86400)}d{I(s / 3600 % 24)}h",
            < 2 * 365 * 86400 => I(s / 86400) + "d",
            < 8 * 365 * 86400 => (long)(s / 86400) % 365 == 0 ? I(s / (365 * 86400)) + "y" : $"{I(s / (365 * 86400))}y{I(s / 86400 % 365)}d",
            _ => I(s / (365 * 86400)) + "y",
        };
    }
}
