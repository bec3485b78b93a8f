using System.Globalization;

namespace GitOrch.Agent.Metrics;

/// <summary>
/// The node's cumulative CPU time (busy jiffies of <c>/proc/stat</c>'s "cpu" line: everything but idle and iowait)
/// and memory working set (<c>MemTotal - MemAvailable</c> of <c>/proc/meminfo</c>).
/// </summary>
public static class NodeStats
{
    // USER_HZ: the kernel reports /proc/stat in 1/100 s on every Linux architecture .NET runs on.
    private const long NanosecondsPerJiffy = 10_000_000;

    public static long ReadCpuNanoseconds(string proc = "/proc")
    {
        foreach (var line in File.ReadLines(Path.Combine(proc, "stat")))
        {
            if (!line.StartsWith("cpu ", StringComparison.Ordinal))
            {
                continue;
            }

            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

            // cpu user nice system idle iowait irq softirq steal ...
            long busy = 0;
            for (var i = 1; i < f.Length && i <= 8; i++)
            {
                if (i is not (4 or 5))
                {
                    busy += long.Parse(f[i], CultureInfo.InvariantCulture);
                }
            }

            return busy * NanosecondsPerJiffy;
        }

        return 0;
    }

    public static long ReadWorkingSetBytes(string proc = "/proc")
    {
        long total = 0, available = 0;
        foreach (var line in File.ReadLines(Path.Combine(proc, "meminfo")))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                total = KiB(line);
            }
            else if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
            {
                available = KiB(line);
            }
        }

        return Math.Max(0, total - available);
    }

    private static long KiB(string line)
    {
        var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return long.Parse(f[1], CultureInfo.InvariantCulture) * 1024;
    }
}
