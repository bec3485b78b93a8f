using ContainerInspectResponse = Docker.DotNet.Models.ContainerInspectResponse;
using GitOrch.Agent;
using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Agent;
using Xunit;
using static GitOrch.Tests.Infrastructure.Agent.AgentTestHarness;

namespace GitOrch.Tests.Agent;

[Collection(AgentCollection.Name)]
[Trait("Requires", "Docker")]
public sealed class LifecycleTests
{
    [Fact]
    public async Task Crashed_container_restarts_within_a_second_then_backs_off_with_CrashLoopBackOff()
    {
        await using var h = await AgentTestHarness.StartAsync();
        await h.CreatePodAsync("crasher", Busybox("main", "echo started", "sleep 1", "exit 3"));

        // Second instance exists: the first restart happened.
        await Eventually.UntilAsync(() => h.ContainersOfAsync("crasher"), l => l.Count >= 2, TimeSpan.FromSeconds(20), "first restart");
        var first = await InspectAttemptAsync(h, "crasher", 0);
        var second = await InspectAttemptAsync(h, "crasher", 1);
        var firstExit = DateTimeOffset.Parse(first.State!.FinishedAt, System.Globalization.CultureInfo.InvariantCulture);
        var secondStart = DateTimeOffset.Parse(second.State!.StartedAt, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(secondStart - firstExit < TimeSpan.FromSeconds(1), $"first restart took {(secondStart - firstExit).TotalMilliseconds:0} ms");

        // After the second exit the agent waits 10 s: CrashLoopBackOff with the exit in lastState.
        var pod = await h.WaitForPodAsync("crasher", p => p.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Waiting?.Reason == "CrashLoopBackOff", "CrashLoopBackOff");
        var status = Status(pod);
        Assert.Contains("back-off 10s", status.State!.Waiting!.Message);
        Assert.Equal(1, status.RestartCount);
        Assert.Equal(3, status.LastState!.Terminated!.ExitCode);
        Assert.Equal("Error", status.LastState.Terminated.Reason);
        Assert.Equal("Running", pod.Status!.Phase);

        await Eventually.UntilAsync(() => h.ContainersOfAsync("crasher"), l => l.Any(c => c.Labels[AgentLabels.Attempt] == "2"), TimeSpan.FromSeconds(20), "second restart");
        var third = await InspectAttemptAsync(h, "crasher", 2);
        var secondExit = DateTimeOffset.Parse((await InspectAttemptAsync(h, "crasher", 1)).State!.FinishedAt, System.Globalization.CultureInfo.InvariantCulture);
        var thirdStart = DateTimeOffset.Parse(third.State!.StartedAt, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange((thirdStart - secondExit).TotalSeconds, 9.5, 13);
        Assert.Contains(await h.EventsOfAsync("crasher"), e => e.Reason == "BackOff");
    }

    [Fact]
    public async Task Restart_policies_Never_and_OnFailure_end_in_Failed_and_Succeeded()
    {
        await using var h = await AgentTestHarness.StartAsync();
        await h.CreatePodAsync("never-fails", spec =>
        {
            spec.RestartPolicy = "Never";
            spec.Containers.Add(Busybox("main", "exit 7"));
        });
        await h.CreatePodAsync("onfailure-ok", spec =>
        {
            spec.RestartPolicy = "OnFailure";
            spec.Containers.Add(Busybox("main", "echo done"));
        });

        var failed = await h.WaitForPodAsync("never-fails", p => p.Status?.Phase == "Failed", "Failed");
        Assert.Equal(7, Status(failed).State!.Terminated!.ExitCode);
        Assert.Equal("Error", Status(failed).State!.Terminated!.Reason);
        var ok = await h.WaitForPodAsync("onfailure-ok", p => p.Status?.Phase == "Succeeded", "Succeeded");
        Assert.Equal("Completed", Status(ok).State!.Terminated!.Reason);
        Assert.Equal(0, Status(ok).RestartCount);
        Assert.Single(await h.ContainersOfAsync("never-fails"));
    }

    [Fact]
    public async Task Liveness_failure_restarts_the_container()
    {
        await using var h = await AgentTestHarness.StartAsync();
        var main = Busybox("main", "touch /tmp/healthy", "sleep 2", "rm /tmp/healthy", "sleep 3600");
        main.LivenessProbe = new Probe { Exec = new ExecAction { Command = ["test", "-f", "/tmp/healthy"] }, PeriodSeconds = 1, FailureThreshold = 2 };
        await h.CreatePodAsync("liveness", main);

        var pod = await h.WaitForPodAsync("liveness", p => p.Status?.ContainerStatuses?.FirstOrDefault()?.RestartCount >= 1, "restarted by liveness", TimeSpan.FromSeconds(30));
        var events = await h.EventsOfAsync("liveness");
        Assert.Contains(events, e => e.Reason == "Unhealthy" && e.Message!.Contains("Liveness"));
        Assert.Contains(events, e => e.Reason == "Killing");
        Assert.NotNull(Status(pod).LastState?.Terminated);
    }

    [Fact]
    public async Task Readiness_probe_gates_Ready_httpGet_and_tcpSocket()
    {
        await using var h = await AgentTestHarness.StartAsync();
        var web = Busybox("web", "mkdir -p /www", "echo ok > /www/index.html", "sleep 3", "exec httpd -f -p $HOST_IP:18080 -h /www");
        web.Env = [new EnvVar { Name = "HOST_IP", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "status.hostIP" } } }];
        web.ReadinessProbe = new Probe { HttpGet = new HttpGetAction { Path = "/index.html", Port = 18080 }, PeriodSeconds = 1 };
        web.LivenessProbe = new Probe { TcpSocket = new TcpSocketAction { Port = 18080 }, InitialDelaySeconds = 5, PeriodSeconds = 1 };
        await h.CreatePodAsync("ready", web);

        var notReady = await h.WaitForPodAsync("ready", p => p.Status?.Phase == "Running" && p.Status.ContainerStatuses?.FirstOrDefault()?.State?.Running != null, "Running");
        Assert.False(Status(notReady, "web").Ready);
        Assert.Contains(notReady.Status!.Conditions!, c => c.Type == "Ready" && c.Status == "False");

        var ready = await h.WaitForPodAsync("ready", p => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true, "Ready", TimeSpan.FromSeconds(20));
        Assert.True(Status(ready, "web").Ready);

        // tcpSocket liveness keeps passing while httpd listens.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(0, Status(await h.Client.GetAsync<Pod>("default", "ready"), "web").RestartCount);
    }

    [Fact]
    public async Task Grace_period_is_honoured_on_delete()
    {
        await using var h = await AgentTestHarness.StartAsync();
        await h.CreatePodAsync("stubborn", spec =>
        {
            spec.TerminationGracePeriodSeconds = 3;
            spec.Containers.Add(Busybox("main", "trap 'echo ignoring TERM' TERM", "while true; do sleep 1; done"));
        });
        await h.CreatePodAsync("polite", spec =>
        {
            spec.TerminationGracePeriodSeconds = 30;
            spec.Containers.Add(Busybox("main"));
        });
        await h.WaitForRunningAsync("stubborn");
        await h.WaitForRunningAsync("polite");

        var started = System.Diagnostics.Stopwatch.StartNew();
        await h.Client.DeleteAsync<Pod>("default", "stubborn");
        await h.Client.DeleteAsync<Pod>("default", "polite");
        await Eventually.UntilAsync(() => h.ContainersOfAsync("polite"), l => l.Count == 0, TimeSpan.FromSeconds(20), "polite container removed");
        var politeTook = started.Elapsed;
        await Eventually.UntilAsync(() => h.ContainersOfAsync("stubborn"), l => l.Count == 0, TimeSpan.FromSeconds(20), "stubborn container removed");
        var stubbornTook = started.Elapsed;

        // SIGTERM reached the process that honours it; the one ignoring it was killed after its 3 s grace.
        Assert.True(politeTook < TimeSpan.FromSeconds(2.5), $"polite stop took {politeTook.TotalSeconds:0.0}s");
        Assert.InRange(stubbornTook.TotalSeconds, 2.8, 10);
    }

    [Fact]
    public async Task Init_containers_run_to_completion_in_order_before_the_app_container()
    {
        await using var h = await AgentTestHarness.StartAsync();
        var init1 = Busybox("first", "sleep 1", "echo one >> /work/order");
        init1.VolumeMounts = [new VolumeMount { Name = "work", MountPath = "/work" }];
        var init2 = Busybox("second", "echo two >> /work/order");
        init2.VolumeMounts = [new VolumeMount { Name = "work", MountPath = "/work" }];
        var main = Busybox("main", "echo main >> /work/order", "sleep 3600");
        main.VolumeMounts = [new VolumeMount { Name = "work", MountPath = "/work" }];
        await h.CreatePodAsync("init", spec =>
        {
            spec.InitContainers = [init1, init2];
            spec.Containers.Add(main);
            spec.Volumes = [new Volume { Name = "work", EmptyDir = new EmptyDirVolumeSource() }];
        });

        var pod = await h.WaitForRunningAsync("init");
        Assert.Equal("one\ntwo\nmain\n", await h.ExecAsync(pod, "main", "cat", "/work/order"));
        Assert.Contains(pod.Status!.Conditions!, c => c.Type == "Initialized" && c.Status == "True");
        Assert.All(pod.Status.InitContainerStatuses!, s => Assert.Equal("Completed", s.State!.Terminated!.Reason));
    }

    /// <summary>The started instance of an attempt (waits while it is being created or started).</summary>
    private static Task<ContainerInspectResponse> InspectAttemptAsync(AgentTestHarness h, string pod, int attempt)
        => Eventually.UntilAsync(
            async () =>
            {
                var list = await h.ContainersOfAsync(pod);
                var c = list.SingleOrDefault(x => x.Labels[AgentLabels.Attempt] == attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
                try
                {
                    return c == null ? null : await h.Docker.Containers.InspectContainerAsync(c.ID);
                }
                catch (global::Docker.DotNet.DockerContainerNotFoundException)
                {
                    return null; // listed a moment ago, gone now: look again
                }
            },
            c => c != null && !c.State!.StartedAt.StartsWith("0001", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20),
            $"attempt {attempt} of {pod} started")!;
}
