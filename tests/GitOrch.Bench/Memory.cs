using System.Globalization;

namespace GitOrch.Bench;

/// <summary>A process's resident memory from /proc/PID/status: VmRSS and its anonymous/file/shmem split.</summary>
public sealed record Memory(double RssMb, double AnonMb, double FileMb, double ShmemMb, double PssMb)
{
    public static Memory Of(int pid)
    {
        var kb = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            var parts = line.Split(':', 2);
            if (parts.Length == 2 && parts[0] is "VmRSS" or "RssAnon" or "RssFile" or "RssShmem")
            {
                kb[parts[0]] = long.Parse(parts[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        // PSS divides each shared page among the processes mapping it (the .NET runtime's files are shared by every .NET process).
        var pss = File.ReadLines($"/proc/{pid}/smaps_rollup").Where(l => l.StartsWith("Pss:", StringComparison.Ordinal))
            .Select(l => long.Parse(l[4..].Trim().Split(' ')[0], CultureInfo.InvariantCulture)).FirstOrDefault();
        return new Memory(kb.GetValueOrDefault("VmRSS") / 1024.0, kb.GetValueOrDefault("RssAnon") / 1024.0, kb.GetValueOrDefault("RssFile") / 1024.0, kb.GetValueOrDefault("RssShmem") / 1024.0, pss / 1024.0);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"(anon {AnonMb:0.0}, file {FileMb:0.0}, shmem {ShmemMb:0.0} MB; PSS {PssMb:0.0} MB)");

    /// <summary>The mappings holding most resident memory (what to trim).</summary>
    public static string TopMappings(int pid)
    {
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        string? current = null;
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 5 && parts[0].Contains('-'))
            {
                current = parts.Length >= 6 ? parts[5] : "[anon]";
            }
            else if (parts.Length >= 2 && parts[0] == "Rss:" && current != null)
            {
                sizes[current] = sizes.GetValueOrDefault(current) + long.Parse(parts[1], CultureInfo.InvariantCulture);
            }
        }

        return string.Join(Environment.NewLine, sizes.OrderByDescending(kv => kv.Value).Take(int.TryParse(Environment.GetEnvironmentVariable("GITORCH_BENCH_SMAPS_TOP"), out var top) ? top : 15).Select(kv => $"  {kv.Value,8} kB {kv.Key}"));
    }
}
