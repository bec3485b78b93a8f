using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure.Agent;
using Xunit;
using static GitOrch.Tests.Infrastructure.Agent.AgentTestHarness;

namespace GitOrch.Tests.Agent;

[Collection(AgentCollection.Name)]
[Trait("Requires", "Docker")]
public sealed class PodRunTests
{
    [Fact]
    public async Task Pod_reaches_Running_with_env_configmap_secret_and_field_values_inside_the_container()
    {
        await using var h = await AgentTestHarness.StartAsync();
        await h.Client.CreateAsync(new ConfigMap { Metadata = new ObjectMeta { Name = "app-config", Namespace = "default" }, Data = new() { ["greeting"] = "hello", ["color"] = "blue", ["app.conf"] = "mode=fast\n" } });
        await h.Client.CreateAsync(new Secret { Metadata = new ObjectMeta { Name = "app-secret", Namespace = "default" }, StringData = new() { ["password"] = "s3cret", ["token"] = "tok-1" } });

        var main = Busybox("main");
        main.Env =
        [
            new EnvVar { Name = "PLAIN", Value = "plain-value" },
            new EnvVar { Name = "GREETING", ValueFrom = new EnvVarSource { ConfigMapKeyRef = new KeySelector { Name = "app-config", Key = "greeting" } } },
            new EnvVar { Name = "PASSWORD", ValueFrom = new EnvVarSource { SecretKeyRef = new KeySelector { Name = "app-secret", Key = "password" } } },
            new EnvVar { Name = "POD_NAME", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "metadata.name" } } },
            new EnvVar { Name = "POD_NS", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "metadata.namespace" } } },
            new EnvVar { Name = "HOST_IP", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "status.hostIP" } } },
            new EnvVar { Name = "POD_IP", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "status.podIP" } } },
            new EnvVar { Name = "NODE", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "spec.nodeName" } } },
            new EnvVar { Name = "COMBINED", Value = "$(GREETING)-$(PLAIN)" },
        ];
        main.EnvFrom = [new EnvFromSource { Prefix = "CFG_", ConfigMapRef = new NamedSource { Name = "app-config" } }, new EnvFromSource { SecretRef = new NamedSource { Name = "app-secret" } }];
        main.VolumeMounts =
        [
            new VolumeMount { Name = "config", MountPath = "/etc/app" },
            new VolumeMount { Name = "secret", MountPath = "/etc/secret" },
            new VolumeMount { Name = "scratch", MountPath = "/scratch" },
        ];
        await h.CreatePodAsync("env-pod", spec =>
        {
            spec.Containers.Add(main);
            spec.Volumes =
            [
                new Volume { Name = "config", ConfigMap = new ConfigMapVolumeSource { Name = "app-config" } },
                new Volume { Name = "secret", Secret = new SecretVolumeSource { SecretName = "app-secret" } },
                new Volume { Name = "scratch", EmptyDir = new EmptyDirVolumeSource() },
            ];
        });

        var pod = await h.WaitForRunningAsync("env-pod");
        Assert.Equal(h.Agent.Options.NodeIP, pod.Status!.HostIP);
        Assert.Equal(h.Agent.Options.NodeIP, pod.Status.PodIP);
        Assert.NotNull(pod.Status.StartTime);
        Assert.Contains(pod.Status.Conditions!, c => c.Type == "Ready" && c.Status == "True");
        Assert.StartsWith("docker://", Status(pod).ContainerID);

        var env = await h.ExecAsync(pod, "main", "env");
        Assert.Contains("PLAIN=plain-value", env);
        Assert.Contains("GREETING=hello", env);
        Assert.Contains("PASSWORD=s3cret", env);
        Assert.Contains("POD_NAME=env-pod", env);
        Assert.Contains("POD_NS=default", env);
        Assert.Contains($"HOST_IP={h.Agent.Options.NodeIP}", env);
        Assert.Contains($"POD_IP={h.Agent.Options.NodeIP}", env);
        Assert.Contains($"NODE={h.NodeName}", env);
        Assert.Contains("COMBINED=hello-plain-value", env);
        Assert.Contains("CFG_color=blue", env);
        Assert.Contains("token=tok-1", env);

        Assert.Equal("mode=fast\n", await h.ExecAsync(pod, "main", "cat", "/etc/app/app.conf"));
        Assert.Equal("s3cret", await h.ExecAsync(pod, "main", "cat", "/etc/secret/password"));

        // Projected files are read-only; emptyDir is writable.
        Assert.Contains("Read-only", await h.ExecAsync(pod, "main", "sh", "-c", "echo x > /etc/app/new 2>&1; true"));
        Assert.Equal("ok", (await h.ExecAsync(pod, "main", "sh", "-c", "echo ok > /scratch/f && cat /scratch/f")).Trim());

        // A ConfigMap change reaches the mounted file without restarting the container.
        var cm = await h.Client.GetAsync<ConfigMap>("default", "app-config");
        cm.Data!["app.conf"] = "mode=slow\n";
        await h.Client.ReplaceAsync(cm);
        await Infrastructure.Eventually.UntilAsync(() => h.ExecAsync(pod, "main", "cat", "/etc/app/app.conf"), s => s == "mode=slow\n", TimeSpan.FromSeconds(20), "configmap file updated");
        Assert.Equal(0, Status(await h.Client.GetAsync<Pod>("default", "env-pod")).RestartCount);
    }

    [Fact]
    public async Task Missing_configmap_key_reports_CreateContainerConfigError_and_recovers_when_added()
    {
        await using var h = await AgentTestHarness.StartAsync();
        await h.Client.CreateAsync(new ConfigMap { Metadata = new ObjectMeta { Name = "partial", Namespace = "default" }, Data = new() { ["a"] = "1" } });
        var main = Busybox("main");
        main.Env = [new EnvVar { Name = "B", ValueFrom = new EnvVarSource { ConfigMapKeyRef = new KeySelector { Name = "partial", Key = "b" } } }];
        await h.CreatePodAsync("cfg-error", main);

        var pod = await h.WaitForPodAsync("cfg-error", p => p.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Waiting?.Reason == "CreateContainerConfigError", "CreateContainerConfigError");
        Assert.Equal("Pending", pod.Status!.Phase);
        Assert.Contains("couldn't find key b in ConfigMap default/partial", Status(pod).State!.Waiting!.Message);
        Assert.Empty(await h.ContainersOfAsync("cfg-error"));

        var cm = await h.Client.GetAsync<ConfigMap>("default", "partial");
        cm.Data!["b"] = "2";
        await h.Client.ReplaceAsync(cm);
        await h.WaitForRunningAsync("cfg-error");
    }

    [Fact]
    public async Task Limits_become_docker_cpu_and_memory_limits_and_containers_share_the_host_network()
    {
        await using var h = await AgentTestHarness.StartAsync();
        var main = Busybox("main");
        main.Resources = new ResourceRequirements { Limits = new() { ["cpu"] = Quantity.Parse("500m"), ["memory"] = Quantity.Parse("64Mi") } };
        var side = Busybox("side");
        await h.CreatePodAsync("limits", main, side);
        await h.WaitForRunningAsync("limits");

        var containers = await h.ContainersOfAsync("limits");
        Assert.Equal(2, containers.Count);
        var inspected = await h.Docker.Containers.InspectContainerAsync(containers.Single(c => c.Labels[GitOrch.Agent.AgentLabels.ContainerName] == "main").ID);
        Assert.Equal(500_000_000, inspected.HostConfig!.NanoCPUs);
        Assert.Equal(64L * 1024 * 1024, inspected.HostConfig.Memory);
        Assert.All(containers, c => Assert.Equal("host", c.HostConfig!.NetworkMode));
    }
}
