using GitOrch.Agent.Pods;
using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Agent;
using Xunit;

namespace GitOrch.Tests.Engine.Controllers.StatefulSets;

/// <summary>A StatefulSet on a real agent and Docker: each ordinal keeps its volume and peers find it by its stable name.</summary>
[Collection(AgentCollection.Name)]
[Trait("Requires", "Docker")]
public sealed class StatefulSetContainerTests
{
    [Fact]
    public async Task An_ordinal_keeps_its_data_across_Pod_deletion_and_peers_resolve_its_stable_name()
    {
        await using var h = await AgentTestHarness.StartAsync(startComponents: true);
        var name = "st" + Guid.NewGuid().ToString("N")[..6];
        await h.Client.CreateAsync(new Service
        {
            Metadata = new ObjectMeta { Name = name, Namespace = "default" },
            Spec = new ServiceSpec { ClusterIP = "None", Selector = new() { ["app"] = name }, Ports = [new ServicePort { Port = 80 }] },
        });
        await h.Client.CreateAsync(new StatefulSet
        {
            Metadata = new ObjectMeta { Name = name, Namespace = "default" },
            Spec = new StatefulSetSpec
            {
                Replicas = 2,
                ServiceName = name,
                Selector = new LabelSelector { MatchLabels = new() { ["app"] = name } },
                Template = new PodTemplateSpec
                {
                    Metadata = new ObjectMeta { Labels = new() { ["app"] = name } },
                    Spec = new PodSpec
                    {
                        TerminationGracePeriodSeconds = 1,
                        Containers =
                        [
                            new Container
                            {
                                Name = "main",
                                Image = DockerTestEnvironment.TestImage,
                                ImagePullPolicy = "IfNotPresent",
                                Command = ["sh", "-c", "echo started >> /data/log; exec sleep 3600"],
                                VolumeMounts = [new VolumeMount { Name = "data", MountPath = "/data" }],
                            },
                        ],
                    },
                },
                VolumeClaimTemplates = [new PersistentVolumeClaim { Metadata = new ObjectMeta { Name = "data" } }],
            },
        });

        try
        {
            var first = await RunningAsync(h, name + "-0", null);
            var second = await RunningAsync(h, name + "-1", null);
            Assert.Contains($"{name}-0.{name}.default.svc", await h.ExecAsync(second, "main", "cat", "/etc/hosts"));

            await h.Client.DeleteAsync<Pod>("default", name + "-0");
            var again = await RunningAsync(h, name + "-0", first.Metadata.Uid);

            // Written once by the first Pod and once by its replacement: the volume outlived the Pod.
            Assert.Equal("started\nstarted", (await h.ExecAsync(again, "main", "cat", "/data/log")).Trim());
            Assert.Equal("started", (await h.ExecAsync(second, "main", "cat", "/data/log")).Trim());
        }
        finally
        {
            await h.Client.DeleteAsync<StatefulSet>("default", name);
            await Eventually.UntilAsync(async () => (await h.ContainersOfAsync(name + "-0")).Count + (await h.ContainersOfAsync(name + "-1")).Count, n => n == 0, TimeSpan.FromSeconds(60), "containers removed");
            foreach (var ordinal in new[] { 0, 1 })
            {
                try
                {
                    await h.Docker.Volumes.RemoveAsync(VolumeManager.NamedVolume("default", $"data-{name}-{ordinal}"), force: true);
                }
                catch (global::Docker.DotNet.DockerApiException)
                {
                }
            }
        }
    }

    /// <summary>The Pod once it exists (a new one when <paramref name="notUid"/> is given) and its container runs.</summary>
    private static Task<Pod> RunningAsync(AgentTestHarness h, string pod, string? notUid)
        => Eventually.UntilAsync(
            () => h.Client.TryGetAsync<Pod>("default", pod),
            p => p != null && p.Metadata.Uid != notUid && p.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Running != null,
            TimeSpan.FromSeconds(60),
            $"{pod} running")!;
}
