using System.Globalization;

namespace GitOrch.Agent.Metrics;

/// <summary>
/// The files holding one container's cumulative CPU time and memory, found through <c>/proc/&lt;pid&gt;/cgroup</c> of its
/// init process: cgroup v2 (<c>cpu.stat</c> usage_usec, <c>memory.current</c>) or v1 (<c>cpuacct.usage</c>,
/// <c>memory.usage_in_bytes</c>), with <c>memory.stat</c>'s inactive file pages subtracted for the working set, as
/// cAdvisor and kubelet compute it. Reading them costs three small file reads a sample, no Docker call.
/// </summary>
public sealed record CgroupFiles(bool V2, string CpuFile, string MemoryFile, string MemoryStatFile)
{
    public const string DefaultRoot = "/sys/fs/cgroup";

    /// <summary>The files of <paramref name="pid"/>'s cgroup, or null when they cannot be found (process gone, other layout).</summary>
    public static CgroupFiles? ForPid(int pid, string root = DefaultRoot, string proc = "/proc")
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(Path.Combine(proc, pid.ToString(CultureInfo.InvariantCulture), "cgroup"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return FromCgroupLines(lines, root);
    }

    /// <summary>Parses <c>/proc/&lt;pid&gt;/cgroup</c> lines ("hierarchy:controllers:path") against the mounted hierarchy.</summary>
    public static CgroupFiles? FromCgroupLines(IEnumerable<string> lines, string root = DefaultRoot)
    {
        string? cpuacct = null, memory = null, unified = null;
        foreach (var line in lines)
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3)
            {
                continue;
            }

            var controllers = parts[1].Split(',');
            if (parts[1].Length == 0)
            {
                unified = parts[2];
            }
            else if (controllers.Contains("cpuacct"))
            {
                cpuacct = Path.Combine(Dir(root, parts[1], "cpuacct"), parts[2].TrimStart('/'));
            }
            else if (controllers.Contains("memory"))
            {
                memory = Path.Combine(Dir(root, parts[1], "memory"), parts[2].TrimStart('/'));
            }
        }

        if (cpuacct != null && memory != null && File.Exists(Path.Combine(cpuacct, "cpuacct.usage")))
        {
            return new CgroupFiles(false, Path.Combine(cpuacct, "cpuacct.usage"), Path.Combine(memory, "memory.usage_in_bytes"), Path.Combine(memory, "memory.stat"));
        }

        if (unified != null && File.Exists(Path.Combine(root, "cgroup.controllers")))
        {
            var dir = Path.Combine(root, unified.TrimStart('/'));
            return File.Exists(Path.Combine(dir, "cpu.stat")) ? new CgroupFiles(true, Path.Combine(dir, "cpu.stat"), Path.Combine(dir, "memory.current"), Path.Combine(dir, "memory.stat")) : null;
        }

        return null;
    }

    /// <summary>Cumulative CPU time in nanoseconds.</summary>
    public long ReadCpuNanoseconds()
    {
        if (!V2)
        {
            return long.Parse(File.ReadAllText(CpuFile).AsSpan().Trim(), CultureInfo.InvariantCulture);
        }

        return StatValue(File.ReadAllLines(CpuFile), "usage_usec") * 1000;
    }

    /// <summary>Working set: usage minus inactive file cache (pages the kernel can drop at once), never below 0.</summary>
    public long ReadWorkingSetBytes()
    {
        var usage = long.Parse(File.ReadAllText(MemoryFile).AsSpan().Trim(), CultureInfo.InvariantCulture);
        var stat = File.ReadAllLines(MemoryStatFile);
        var inactive = StatValue(stat, V2 ? "inactive_file" : "total_inactive_file");
        return Math.Max(0, usage - inactive);
    }

    internal static long StatValue(string[] lines, string key)
    {
        foreach (var line in lines)
        {
            if (line.Length > key.Length && line.StartsWith(key, StringComparison.Ordinal) && line[key.Length] == ' ')
            {
                return long.Parse(line.AsSpan(key.Length + 1).Trim(), CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    // v1 hierarchies are mounted by controller list ("cpu,cpuacct"), usually with a symlink per controller.
    private static string Dir(string root, string controllers, string preferred)
    {
        var single = Path.Combine(root, preferred);
        return Directory.Exists(single) ? single : Path.Combine(root, controllers);
    }
}
