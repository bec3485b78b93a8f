using GitOrch.Agent.Metrics;
using GitOrch.Tests.Infrastructure;
using Xunit;

namespace GitOrch.Tests.Agent.Metrics;

/// <summary>Finding a container's counters from /proc/&lt;pid&gt;/cgroup on cgroup v1 and v2 layouts, and reading them as kubelet does.</summary>
public sealed class CgroupFilesTests
{
    [Fact]
    public void V1_layout_reads_cpuacct_usage_and_working_set_without_inactive_file()
    {
        using var root = new TempDirectory("gitorch-cgroup");
        var cpu = Directory.CreateDirectory(Path.Combine(root.Path, "cpu,cpuacct", "docker", "abc")).FullName;
        var mem = Directory.CreateDirectory(Path.Combine(root.Path, "memory", "docker", "abc")).FullName;
        File.WriteAllText(Path.Combine(cpu, "cpuacct.usage"), "2760381950\n");
        File.WriteAllText(Path.Combine(mem, "memory.usage_in_bytes"), "10485760\n");
        File.WriteAllText(Path.Combine(mem, "memory.stat"), "cache 100\ninactive_file 1\ntotal_inactive_file 4194304\n");

        var files = CgroupFiles.FromCgroupLines(["12:memory:/docker/abc", "3:cpu,cpuacct:/docker/abc", "0::/docker/abc"], root.Path);

        Assert.NotNull(files);
        Assert.False(files!.V2);
        Assert.Equal(2760381950, files.ReadCpuNanoseconds());
        Assert.Equal(10485760 - 4194304, files.ReadWorkingSetBytes());
    }

    [Fact]
    public void V2_layout_reads_usage_usec_and_memory_current()
    {
        using var root = new TempDirectory("gitorch-cgroup");
        File.WriteAllText(Path.Combine(root.Path, "cgroup.controllers"), "cpu memory\n");
        var dir = Directory.CreateDirectory(Path.Combine(root.Path, "system.slice", "docker-abc.scope")).FullName;
        File.WriteAllText(Path.Combine(dir, "cpu.stat"), "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n");
        File.WriteAllText(Path.Combine(dir, "memory.current"), "8192\n");
        File.WriteAllText(Path.Combine(dir, "memory.stat"), "anon 4096\ninactive_file 2048\n");

        var files = CgroupFiles.FromCgroupLines(["0::/system.slice/docker-abc.scope"], root.Path);

        Assert.NotNull(files);
        Assert.True(files!.V2);
        Assert.Equal(1_500_000, files.ReadCpuNanoseconds());
        Assert.Equal(6144, files.ReadWorkingSetBytes());
    }

    [Fact]
    public void An_unknown_layout_gives_null_not_an_exception()
    {
        using var root = new TempDirectory("gitorch-cgroup");
        Assert.Null(CgroupFiles.FromCgroupLines(["0::/gone"], root.Path));
        Assert.Null(CgroupFiles.ForPid(int.MaxValue));
    }

    [Fact]
    public void Node_counters_come_from_proc()
    {
        Assert.True(NodeStats.ReadCpuNanoseconds() > 0);
        Assert.True(NodeStats.ReadWorkingSetBytes() > 0);
    }
}
