using GitOrch.Agent.Pods;
using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Agent;
using Xunit;
using static GitOrch.Tests.Infrastructure.Agent.AgentTestHarness;

namespace GitOrch.Tests.Agent;

[Collection(AgentCollection.Name)]
[Trait("Requires", "Docker")]
public sealed class PersistentVolumeTests
{
    [Fact]
    public async Task Data_written_to_a_claim_survives_the_Pod_and_is_read_by_the_next()
    {
        await using var h = await AgentTestHarness.StartAsync();
        var claim = "data-web-" + Guid.NewGuid().ToString("N")[..8];
        void WithClaim(PodSpec spec, Container c)
        {
            c.VolumeMounts = [new VolumeMount { Name = "data", MountPath = "/data" }];
            spec.Containers.Add(c);
            spec.RestartPolicy = "Never";
            spec.Volumes = [new Volume { Name = "data", PersistentVolumeClaim = new PersistentVolumeClaimVolumeSource { ClaimName = claim } }];
        }

        try
        {
            await h.CreatePodAsync("writer", spec => WithClaim(spec, Busybox("main", "echo kept > /data/value")));
            await h.WaitForPodAsync("writer", p => p.Status?.Phase == "Succeeded", "writer Succeeded", TimeSpan.FromSeconds(30));
            await h.Client.DeleteAsync<Pod>("default", "writer");
            await Eventually.UntilAsync(() => h.ContainersOfAsync("writer"), l => l.Count == 0, TimeSpan.FromSeconds(30), "writer's containers removed");

            await h.CreatePodAsync("reader", spec => WithClaim(spec, Busybox("main", "test \"$(cat /data/value)\" = kept")));
            var reader = await h.WaitForPodAsync("reader", p => p.Status?.Phase is "Succeeded" or "Failed", "reader finished", TimeSpan.FromSeconds(30));
            Assert.Equal("Succeeded", reader.Status!.Phase);
        }
        finally
        {
            try
            {
                await h.Docker.Volumes.RemoveAsync(VolumeManager.NamedVolume("default", claim), force: true);
            }
            catch (global::Docker.DotNet.DockerApiException)
            {
            }
        }
    }
}
