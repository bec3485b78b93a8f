using Docker.DotNet;
using Docker.DotNet.Models;
using GitOrch.Agent;

namespace GitOrch.Bench.Scenarios;

/// <summary>What the Docker scenarios ask Docker directly: cleanup of their nodes' containers, and Docker's own timeline of them.</summary>
internal static class BenchDocker
{
    /// <summary>Removes every container labelled with one of the given node names (what a scenario's agents created).</summary>
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

    /// <summary>When Docker created and started the node's containers, in seconds after <paramref name="origin"/> (Docker's clock).</summary>
    public static async Task<string> TimelineAsync(string nodeName, DateTimeOffset origin)
    {
        using var docker = new DockerClientBuilder().WithEndpoint(new Uri("unix:///var/run/docker.sock")).Build();
        var list = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{AgentLabels.NodeName}={nodeName}"] = true } },
        });
        var created = new List<double>();
        var started = new List<double>();
        foreach (var c in list)
        {
            var i = await docker.Containers.InspectContainerAsync(c.ID);
            created.Add((i.Created - origin).TotalSeconds);
            if (DateTimeOffset.TryParse(i.State?.StartedAt, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var s) && s.Year > 1)
            {
                started.Add((s - origin).TotalSeconds);
            }
        }

        return created.Count == 0 ? "no containers" : System.FormattableString.Invariant(
            $"docker: {created.Count} containers; created first {created.Min():0.00}s last {created.Max():0.00}s; started first {started.DefaultIfEmpty().Min():0.00}s last {started.DefaultIfEmpty().Max():0.00}s after the webhook");
    }
}
