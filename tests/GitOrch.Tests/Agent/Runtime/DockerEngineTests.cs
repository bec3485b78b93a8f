using Docker.DotNet;
using Docker.DotNet.Models;
using GitOrch.Tests.Infrastructure;
using Xunit;

namespace GitOrch.Tests.Agent.Runtime;

/// <summary>Proves the Docker engine path works on this machine: the test every other Docker test stands on.</summary>
[Trait("Requires", "Docker")]
public sealed class DockerEngineTests
{
    [Fact]
    public async Task Container_is_created_started_inspected_and_removed_through_Docker_DotNet()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ct = cts.Token;
        using var client = DockerTestEnvironment.CreateClient();
        var testId = DockerTestEnvironment.NewTestId("engine");
        try
        {
            var created = await client.Containers.CreateContainerAsync(new CreateContainerParameters
            {
                Name = $"gitorch-{testId}",
                Image = DockerTestEnvironment.TestImage,
                Cmd = ["sleep", "300"],
                Labels = new Dictionary<string, string> { [DockerTestEnvironment.TestLabel] = testId },
                HostConfig = new HostConfig { NetworkMode = "host" },
            }, ct);
            Assert.False(string.IsNullOrEmpty(created.ID));

            Assert.True(await client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), ct));

            var inspected = await client.Containers.InspectContainerAsync(created.ID, ct);
            Assert.True(inspected.State?.Running, $"container state is {inspected.State?.Status}");
            Assert.Equal(testId, inspected.Config!.Labels[DockerTestEnvironment.TestLabel]);
            Assert.Equal("host", inspected.HostConfig!.NetworkMode);

            await client.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true }, ct);
            await Assert.ThrowsAsync<DockerContainerNotFoundException>(() => client.Containers.InspectContainerAsync(created.ID, ct));
        }
        finally
        {
            await DockerTestEnvironment.RemoveContainersAsync(client, testId, CancellationToken.None);
        }
    }
}
