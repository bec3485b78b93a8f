using Docker.DotNet;
using Docker.DotNet.Models;
using GitOrch.Agent;

namespace GitOrch.Bench.Scenarios;

/// <summary>Removes every container labelled with one of the given node names (what a scenario's agents created).</summary>
internal static class DockerCleanup
{
    public static async Task RemoveNodeContainersAsync(params string[] nodeNames)
    {
        using var docker = new DockerClientBuilder().WithEndpoint(new Uri("unix:///var/run/docker.sock")).Build();
        foreach (var node in nodeNames)
        {
            var list = await docker.Containers.ListContainersAsync(new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{AgentLabels.NodeName}={node}"] = true } },
            });
            await Task.WhenAll(list.Select(async c =>
            {
                try
                {
                    await docker.Containers.RemoveContainerAsync(c.ID, new ContainerRemoveParameters { Force = true });
                }
                catch (DockerApiException)
                {
                    // Already gone or being removed.
                }
            }));
        }
    }
}
