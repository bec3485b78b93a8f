using Docker.DotNet.Models;
using GitOrch.Agent;
using GitOrch.Tests.Infrastructure;

namespace GitOrch.Tests.Infrastructure.EndToEnd;

/// <summary>What Docker itself says runs for one node: the ground truth for "no duplicates" and "adopted, not recreated".</summary>
public static class NodeContainers
{
    public static async Task<IReadOnlyList<NodeContainer>> ListAsync(string nodeName)
    {
        using var docker = DockerTestEnvironment.CreateClient();
        var list = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{AgentLabels.NodeName}={nodeName}"] = true },
            },
        });
        return list
            .Select(c => new NodeContainer(
                c.ID,
                Label(c, AgentLabels.PodNamespace),
                Label(c, AgentLabels.PodName),
                Label(c, AgentLabels.PodUid),
                Label(c, AgentLabels.ContainerName),
                Label(c, AgentLabels.Attempt),
                c.Names.FirstOrDefault()?.TrimStart('/') ?? "",
                c.State))
            .OrderBy(c => c.PodNamespace, StringComparer.Ordinal)
            .ThenBy(c => c.PodName, StringComparer.Ordinal)
            .ThenBy(c => c.Container, StringComparer.Ordinal)
            .ToList();
    }

    public static async Task RemoveAllAsync(string nodeName)
    {
        using var docker = DockerTestEnvironment.CreateClient();
        await DockerTestEnvironment.RemoveContainersByLabelAsync(docker, AgentLabels.NodeName, nodeName);
    }

    private static string Label(ContainerListResponse c, string key) => c.Labels != null && c.Labels.TryGetValue(key, out var v) ? v : "";
}

/// <summary>One container of a node as Docker lists it.</summary>
public sealed record NodeContainer(string Id, string PodNamespace, string PodName, string PodUid, string Container, string Attempt, string Name, string State)
{
    public override string ToString() => $"{Id[..12]} {Name} attempt={Attempt} {State}";
}
