using Docker.DotNet;
using Docker.DotNet.Models;

namespace GitOrch.Tests.Infrastructure;

/// <summary>
/// What scripts/setup.sh provides to tests that use the real Docker engine: the client, the busybox test image,
/// the two local registries, and cleanup of a test's containers by a per-test label.
/// </summary>
public static class DockerTestEnvironment
{
    /// <summary>Built by scripts/setup.sh with <c>docker import</c> from busybox-static (sh, sleep, httpd, nc, wget...).</summary>
    public const string TestImage = "gitorch-test/busybox:latest";

    /// <summary>Debian docker-registry without authentication; holds <c>gitorch-test/busybox:latest</c>.</summary>
    public const string OpenRegistry = "127.0.0.1:5000";

    /// <summary>Debian docker-registry with htpasswd basic auth; holds <c>gitorch-test/busybox:latest</c>.</summary>
    public const string AuthRegistry = "127.0.0.1:5001";

    public const string RegistryUser = "gitorch";
    public const string RegistryPassword = "gitorch-pass";

    /// <summary>Every container a test creates carries this label with the test's unique id, so cleanup finds it.</summary>
    public const string TestLabel = "gitorch.io/test";

    public static Uri Endpoint { get; } = new(Environment.GetEnvironmentVariable("GITORCH_DOCKER_ENDPOINT") ?? "unix:///var/run/docker.sock");

    public static DockerClient CreateClient() =>
        new DockerClientBuilder().WithEndpoint(Endpoint).WithTimeout(TimeSpan.FromSeconds(100)).Build();

    /// <summary>A label value unique to one test run (short enough for container names).</summary>
    public static string NewTestId(string prefix = "t") => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";

    /// <summary>Force-removes every container labelled <see cref="TestLabel"/>=<paramref name="testId"/>.</summary>
    public static Task RemoveContainersAsync(IDockerClient client, string testId, CancellationToken ct = default) =>
        RemoveContainersByLabelAsync(client, TestLabel, testId, ct);

    /// <summary>Force-removes every container carrying <paramref name="label"/>=<paramref name="value"/>.</summary>
    public static async Task RemoveContainersByLabelAsync(IDockerClient client, string label, string value, CancellationToken ct = default)
    {
        var list = await client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{label}={value}"] = true },
            },
        }, ct);
        foreach (var c in list)
        {
            try
            {
                await client.Containers.RemoveContainerAsync(c.ID, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, ct);
            }
            catch (DockerContainerNotFoundException)
            {
                // Already gone: the goal of cleanup.
            }
        }
    }
}
