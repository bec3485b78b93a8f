using System.Text;
using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Agent;
using Xunit;
using static GitOrch.Tests.Infrastructure.Agent.AgentTestHarness;

namespace GitOrch.Tests.Agent;

/// <summary>Pulls from Debian's docker-registry on loopback (scripts/setup.sh): open on :5000, basic auth on :5001.</summary>
[Collection(AgentCollection.Name)]
[Trait("Requires", "Docker")]
public sealed class ImagePullTests
{
    private static readonly string OpenImage = $"{DockerTestEnvironment.OpenRegistry}/gitorch-test/busybox:latest";
    private static readonly string AuthImage = $"{DockerTestEnvironment.AuthRegistry}/gitorch-test/busybox:latest";

    [Fact]
    public async Task Pulls_from_the_open_registry_with_Always_and_reports_progress_events()
    {
        await using var h = await AgentTestHarness.StartAsync();
        var main = Busybox("main");
        main.Image = OpenImage;
        main.ImagePullPolicy = null; // ":latest" defaults to Always
        await h.CreatePodAsync("pull-open", main);

        await h.WaitForRunningAsync("pull-open", TimeSpan.FromSeconds(60));
        var events = await h.EventsOfAsync("pull-open");
        Assert.Contains(events, e => e.Reason == "Pulling" && e.Message!.Contains(OpenImage));
        Assert.Contains(events, e => e.Reason == "Pulled");
    }

    [Fact]
    public async Task Pulls_from_the_auth_registry_with_an_imagePullSecret()
    {
        await using var h = await AgentTestHarness.StartAsync();
        await h.Client.CreateAsync(PullSecret("regcred", DockerTestEnvironment.RegistryUser, DockerTestEnvironment.RegistryPassword));
        var main = Busybox("main");
        main.Image = AuthImage;
        main.ImagePullPolicy = "Always";
        await h.CreatePodAsync("pull-auth", spec =>
        {
            spec.Containers.Add(main);
            spec.ImagePullSecrets = [new LocalObjectReference { Name = "regcred" }];
        });

        await h.WaitForRunningAsync("pull-auth", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Wrong_credentials_give_ErrImagePull_then_ImagePullBackOff()
    {
        await using var h = await AgentTestHarness.StartAsync();
        await h.Client.CreateAsync(PullSecret("badcred", DockerTestEnvironment.RegistryUser, "wrong-password"));
        var main = Busybox("main");
        main.Image = AuthImage;
        main.ImagePullPolicy = "Always";
        await h.CreatePodAsync("pull-denied", spec =>
        {
            spec.Containers.Add(main);
            spec.ImagePullSecrets = [new LocalObjectReference { Name = "badcred" }];
        });

        var pod = await h.WaitForPodAsync("pull-denied", p => p.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Waiting?.Reason == "ErrImagePull", "ErrImagePull", TimeSpan.FromSeconds(60));
        Assert.Equal("Pending", pod.Status!.Phase);
        Assert.Contains(await h.EventsOfAsync("pull-denied"), e => e.Reason == "Failed" && e.Type == "Warning");
        await h.WaitForPodAsync("pull-denied", p => p.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Waiting?.Reason == "ImagePullBackOff", "ImagePullBackOff", TimeSpan.FromSeconds(30));
        Assert.Empty(await h.ContainersOfAsync("pull-denied"));
    }

    [Fact]
    public async Task Never_policy_with_a_missing_image_reports_ErrImageNeverPull()
    {
        await using var h = await AgentTestHarness.StartAsync();
        var main = Busybox("main");
        main.Image = "gitorch-test/not-there:1.0";
        main.ImagePullPolicy = "Never";
        await h.CreatePodAsync("never-pull", main);
        await h.WaitForPodAsync("never-pull", p => p.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Waiting?.Reason == "ErrImageNeverPull", "ErrImageNeverPull");
    }

    private static Secret PullSecret(string name, string user, string password)
    {
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        var json = $"{{\"auths\":{{\"{DockerTestEnvironment.AuthRegistry}\":{{\"username\":\"{user}\",\"password\":\"{password}\",\"auth\":\"{auth}\"}}}}}}";
        return new Secret
        {
            Metadata = new ObjectMeta { Name = name, Namespace = "default" },
            Type = "kubernetes.io/dockerconfigjson",
            Data = new() { [".dockerconfigjson"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(json)) },
        };
    }
}
