using System.Globalization;
using GitOrch.Api.Metrics;
using GitOrch.Api.Model;

namespace GitOrch.Engine.Metrics;

/// <summary>Cache entries as metrics.k8s.io/v1beta1 objects, with quantities written as metrics-server writes them (nanocores "n", memory "Ki").</summary>
internal static class MetricsViews
{
    public const string ApiVersion = "metrics.k8s.io/v1beta1";

    public static NodeMetrics ToNodeMetrics(NodeUsage usage, Node? node) => new()
    {
        ApiVersion = ApiVersion,
        Kind = "NodeMetrics",
        Metadata = new ObjectMeta { Name = usage.NodeName, Labels = node?.Metadata.Labels, CreationTimestamp = usage.Timestamp },
        Timestamp = usage.Timestamp,
        Window = Window(usage.WindowSeconds),
        Usage = Usage(usage.CpuNanoCores, usage.MemoryWorkingSetBytes),
    };

    public static PodMetrics ToPodMetrics(PodUsage usage, Pod? pod) => new()
    {
        ApiVersion = ApiVersion,
        Kind = "PodMetrics",
        Metadata = new ObjectMeta { Name = usage.Name, Namespace = usage.Namespace, Labels = pod?.Metadata.Labels, CreationTimestamp = usage.Timestamp },
        Timestamp = usage.Timestamp,
        Window = Window(usage.WindowSeconds),
        Containers = usage.Containers.Select(c => new ContainerMetrics { Name = c.Name, Usage = Usage(c.CpuNanoCores, c.MemoryWorkingSetBytes) }).ToList(),
    };

    public static Quantity Cpu(long nanoCores) => new(nanoCores / 1_000_000_000m, nanoCores.ToString(CultureInfo.InvariantCulture) + "n");

    public static Quantity Memory(long bytes) => bytes % 1024 == 0
        ? new Quantity(bytes, (bytes / 1024).ToString(CultureInfo.InvariantCulture) + "Ki")
        : new Quantity(bytes, bytes.ToString(CultureInfo.InvariantCulture));

    private static Dictionary<string, Quantity> Usage(long cpu, long memory) => new(StringComparer.Ordinal) { ["cpu"] = Cpu(cpu), ["memory"] = Memory(memory) };

    // A Go duration, as metrics-server writes it: "1s", "1.5s".
    private static string Window(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
}
