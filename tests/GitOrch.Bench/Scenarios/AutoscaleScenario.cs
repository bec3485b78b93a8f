using System.Diagnostics;
using GitOrch.Agent;
using GitOrch.Agent.Metrics;
using GitOrch.Agent.Runtime;
using GitOrch.Api.Client;
using GitOrch.Api.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOrch.Bench.Scenarios;

/// <summary>
/// The autoscaler end to end on Docker with the real <c>gitorch server --with-agent</c> process: a Deployment of busybox
/// containers that burn a core while a switch file exists (hostPath), an HPA at 50 % CPU, 1 to 4 replicas, 10 s
/// scale-down window. Measures load start -> 3 replicas Running (target 20 s) and load stop -> back at 1 (target 30 s).
/// Then the cost of usage collection with 50 containers on the node: the CPU a collector spends sampling them every
/// second (measured in this process, which does nothing else meanwhile) and the RSS of the Engine+agent process.
/// </summary>
public static class AutoscaleScenario
{
    private const string Image = "gitorch-test/busybox:latest";
    private const string EngineIP = "127.0.5.20";
    private const int Sleepers = 50;

    public static async Task<BenchResult> RunAsync(string[] args)
    {
        var root = Path.Combine(Path.GetTempPath(), "gitorch-bench-autoscale-" + Guid.NewGuid().ToString("N"));
        var nodeName = "bench-autoscale-" + Environment.ProcessId;
        var ctl = Directory.CreateDirectory(Path.Combine(root, "ctl")).FullName;
        BenchProcess? engine = null;
        try
        {
            var url = new Uri($"http://{EngineIP}:{BenchProcess.FreePort(EngineIP)}");
            var data = Path.Combine(root, "data");
            engine = BenchProcess.Start(BenchProcess.Executable(), null, "server", "--data-dir", data, "--listen", $"{url.Host}:{url.Port}", "--with-agent", "--node-name", nodeName, "--log-level", "Warning");
            await engine.WaitReadyAsync(url, TimeSpan.FromSeconds(60));
            using var client = new GitOrchClient(url, (await File.ReadAllTextAsync(Path.Combine(data, "admin.token"))).Trim());
            await engine.WaitAsync(async () => (await client.TryGetAsync<Node>(null, nodeName))?.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true, TimeSpan.FromSeconds(60), "Node Ready", 50);

            await client.CreateAsync(Burner(ctl));
            await client.CreateAsync(Hpa());
            await engine.WaitAsync(async () => await RunningAsync(client, "app=burner") == 1, TimeSpan.FromSeconds(60), "one burner Running", 100);

            var sw = Stopwatch.StartNew();
            await File.WriteAllTextAsync(Path.Combine(ctl, "burn"), "");
            await engine.WaitAsync(async () => await RunningAsync(client, "app=burner") >= 3, TimeSpan.FromSeconds(120), ">= 3 burners Running", 100);
            var up = sw.Elapsed.TotalSeconds;

            sw.Restart();
            File.Delete(Path.Combine(ctl, "burn"));
            await engine.WaitAsync(async () => (await client.GetAsync<Deployment>("default", "burner")).Spec?.Replicas == 1 && await RunningAsync(client, "app=burner") == 1, TimeSpan.FromSeconds(120), "back at 1 burner", 100);
            var down = sw.Elapsed.TotalSeconds;

            await client.DeleteAsync<HorizontalPodAutoscaler>("default", "burner");
            await client.DeleteAsync<Deployment>("default", "burner");
            await client.CreateAsync(SleeperDeployment());
            await engine.WaitAsync(async () => await RunningAsync(client, "app=sleeper") >= Sleepers, TimeSpan.FromMinutes(5), $"{Sleepers} sleepers Running", 200);
            var (cpuPct, tracked) = await CollectorCostAsync(nodeName);
            var rss = Memory.Of(engine.Process.Id);

            Console.WriteLine($"{"measure",-58} {"value",10}");
            Console.WriteLine($"{"load start -> >= 3 replicas Running (s, target <= 20)",-58} {up,10:0.00}");
            Console.WriteLine($"{"load stop -> back at 1 replica (s, 10 s window, target <= 30)",-58} {down,10:0.00}");
            Console.WriteLine($"{"usage collection, " + tracked + " containers every 1 s (CPU % of one core)",-58} {cpuPct,10:0.00}");
            Console.WriteLine($"{"Engine+agent process RSS with " + Sleepers + " containers (MB)",-58} {rss.RssMb,10:0.0}  {rss}");
            return new BenchResult("autoscale")
                .Add("scale_up_s", Math.Round(up, 2))
                .Add("scale_down_s", Math.Round(down, 2))
                .Add("collect_cpu_pct", Math.Round(cpuPct, 2))
                .Add("agent_rss_mb", Math.Round(rss.RssMb, 1));
        }
        finally
        {
            if (engine != null)
            {
                await engine.DisposeAsync();
            }

            await BenchDocker.RemoveNodeContainersAsync(nodeName);
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>CPU this process spends sampling the node's containers once a second for 10 s, as a percentage of one core.</summary>
    private static async Task<(double CpuPct, int Tracked)> CollectorCostAsync(string nodeName)
    {
        var options = new AgentOptions { Server = new Uri("http://127.0.0.1:1"), Token = "-", NodeName = nodeName };
        using var docker = new DockerRuntime(options.DockerEndpoint, options.DockerCallTimeout);
        await using var collector = new UsageCollector(docker, options, NullLogger.Instance);
        await collector.SampleOnceAsync(CancellationToken.None);
        var self = Process.GetCurrentProcess();
        self.Refresh();
        var cpu0 = self.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        for (var i = 0; i < 10; i++)
        {
            await collector.SampleOnceAsync(CancellationToken.None);
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        self.Refresh();
        return ((self.TotalProcessorTime - cpu0).TotalSeconds / wall.Elapsed.TotalSeconds * 100, collector.TrackedContainers);
    }

    private static async Task<int> RunningAsync(GitOrchClient client, string selector)
        => (await client.ListAsync<Pod>("default", selector)).Items.Count(p => p.Metadata.DeletionTimestamp == null && p.Status?.Phase == "Running");

    private static Deployment Burner(string ctl) => new()
    {
        Metadata = new ObjectMeta { Name = "burner", Namespace = "default" },
        Spec = new DeploymentSpec
        {
            Replicas = 1,
            Selector = new LabelSelector { MatchLabels = new() { ["app"] = "burner" } },
            Template = new PodTemplateSpec
            {
                Metadata = new ObjectMeta { Labels = new() { ["app"] = "burner" } },
                Spec = new PodSpec
                {
                    TerminationGracePeriodSeconds = 1,
                    Volumes = [new Volume { Name = "ctl", HostPath = new HostPathVolumeSource { Path = ctl } }],
                    Containers =
                    [
                        new Container
                        {
                            Name = "main",
                            Image = Image,
                            ImagePullPolicy = "IfNotPresent",
                            Command = ["sh", "-c", "while :; do if [ -f /ctl/burn ]; then :; else sleep 1; fi; done"],
                            Resources = new ResourceRequirements { Requests = new() { ["cpu"] = Quantity.Parse("100m") } },
                            VolumeMounts = [new VolumeMount { Name = "ctl", MountPath = "/ctl" }],
                        },
                    ],
                },
            },
        },
    };

    private static HorizontalPodAutoscaler Hpa() => new()
    {
        Metadata = new ObjectMeta { Name = "burner", Namespace = "default" },
        Spec = new HorizontalPodAutoscalerSpec
        {
            ScaleTargetRef = new CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "burner" },
            MinReplicas = 1,
            MaxReplicas = 4,
            Metrics = [new MetricSpec { Type = "Resource", Resource = new ResourceMetricSource { Name = "cpu", Target = new MetricTarget { Type = "Utilization", AverageUtilization = 50 } } }],
            Behavior = new HorizontalPodAutoscalerBehavior { ScaleDown = new HPAScalingRules { StabilizationWindowSeconds = 10 } },
        },
    };

    private static Deployment SleeperDeployment() => new()
    {
        Metadata = new ObjectMeta { Name = "sleeper", Namespace = "default" },
        Spec = new DeploymentSpec
        {
            Replicas = Sleepers,
            Selector = new LabelSelector { MatchLabels = new() { ["app"] = "sleeper" } },
            Template = new PodTemplateSpec
            {
                Metadata = new ObjectMeta { Labels = new() { ["app"] = "sleeper" } },
                Spec = new PodSpec
                {
                    TerminationGracePeriodSeconds = 1,
                    Containers = [new Container { Name = "main", Image = Image, ImagePullPolicy = "IfNotPresent", Command = ["sleep", "3600"] }],
                },
            },
        },
    };
}
