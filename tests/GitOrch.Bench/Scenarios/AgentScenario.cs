using System.Diagnostics;
using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using GitOrch.Agent;
using GitOrch.Api.Client;
using GitOrch.Api.Model;
using GitOrch.Engine.Controllers;
using GitOrch.Engine.Hosting;
using Microsoft.Extensions.Logging;

namespace GitOrch.Bench.Scenarios;

/// <summary>
/// The agent against Docker itself: a 50-replica Deployment of the busybox test image until all 50 Pods are
/// Running (Engine with controllers and scheduler in this process, the agent as its own <c>gitorch agent</c>
/// process, so its RSS is its own), against <c>docker-compose up -d --scale</c> of the same 50 containers (host
/// networking, init) in the same run. Then first-restart latency: a container is SIGKILLed and the time from its
/// exit to the replacement's start is read from Docker's own timestamps. Needs scripts/setup.sh.
/// </summary>
public static class AgentScenario
{
    private const int Replicas = 50;
    private const int RestartSamples = 20;
    private const string Image = "gitorch-test/busybox:latest";
    private const string NodeName = "bench-agent";
    private const string NodeIP = "127.0.0.9";

    public static async Task<BenchResult> RunAsync(string[] args)
    {
        using var docker = new DockerClientBuilder().WithEndpoint(new Uri("unix:///var/run/docker.sock")).Build();
        await BenchDocker.RemoveNodeContainersAsync(NodeName);
        var compose = await ComposeRun.UpAsync(Image, Replicas);

        var dir = Path.Combine(Path.GetTempPath(), "gitorch-bench-agent-" + Guid.NewGuid().ToString("N"));
        Process? agent = null;
        try
        {
            await using var host = await EngineHost.StartAsync(
                new EngineOptions { DataDir = dir, Listen = "127.0.0.1:0", StartComponents = false, LogLevel = LogLevel.Warning },
                s => s.AddGitOrchControllers());
            using var client = new GitOrchClient(host.BaseUrl, host.Tokens.Admin, host.Ca);
            agent = StartAgent(host, dir);
            await WaitAsync(async () => (await client.TryGetAsync<Node>(null, NodeName))?.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true, TimeSpan.FromSeconds(60), "agent node Ready");

            var started = Stopwatch.StartNew();
            await client.CreateAsync(Deployment());
            var running = 0;
            await WaitAsync(async () =>
            {
                var pods = await client.ListAsync<Pod>("default", "app=bench-sleeper");
                running = pods.Items.Count(p => p.Status?.Phase == "Running" && p.Status.ContainerStatuses?.All(c => c.State?.Running != null) == true);
                return running >= Replicas;
            }, TimeSpan.FromMinutes(5), "50 pods Running");
            var gitorchSeconds = started.Elapsed.TotalSeconds;
            var memory = GitOrch.Bench.Memory.Of(agent.Id);
            var rssMb = memory.RssMb;
            Console.WriteLine("agent memory: " + memory);
            if (Environment.GetEnvironmentVariable("GITORCH_BENCH_SMAPS") == "1")
            {
                Console.WriteLine(GitOrch.Bench.Memory.TopMappings(agent.Id));
            }

            var restarts = await RestartLatenciesAsync(docker, client);

            await client.DeleteAsync<Deployment>("default", "bench-sleeper");
            Console.WriteLine($"{"measure",-46} {"value",10}");
            Console.WriteLine($"{"gitorch: Deployment 50 replicas -> Running",-46} {gitorchSeconds,9:0.00}s");
            Console.WriteLine($"{"docker-compose up -d --scale 50",-46} {compose,9:0.00}s");
            Console.WriteLine($"{"first restart p50 (" + restarts.Count + " kills)",-46} {Stats.Percentile(restarts, 50),8:0}ms");
            Console.WriteLine($"{"first restart p99",-46} {Stats.Percentile(restarts, 99),8:0}ms");
            Console.WriteLine($"{"agent RSS with 50 pods",-46} {rssMb,8:0.0}MB");
            return new BenchResult("agent")
                .Add("gitorch_s", Math.Round(gitorchSeconds, 2))
                .Add("compose_s", Math.Round(compose, 2))
                .Add("ratio", Math.Round(gitorchSeconds / compose, 2))
                .Add("restart_p50_ms", Math.Round(Stats.Percentile(restarts, 50)))
                .Add("restart_p99_ms", Math.Round(Stats.Percentile(restarts, 99)))
                .Add("agent_rss_mb", Math.Round(rssMb, 1));
        }
        finally
        {
            if (agent is { HasExited: false })
            {
                agent.Kill();
                await agent.WaitForExitAsync();
            }

            await BenchDocker.RemoveNodeContainersAsync(NodeName);
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static Deployment Deployment() => new()
    {
        Metadata = new ObjectMeta { Name = "bench-sleeper", Namespace = "default" },
        Spec = new DeploymentSpec
        {
            Replicas = Replicas,
            Selector = new LabelSelector { MatchLabels = new() { ["app"] = "bench-sleeper" } },
            Template = new PodTemplateSpec
            {
                Metadata = new ObjectMeta { Labels = new() { ["app"] = "bench-sleeper" } },
                Spec = new PodSpec
                {
                    TerminationGracePeriodSeconds = 1,
                    Containers = [new Container { Name = "main", Image = Image, ImagePullPolicy = "IfNotPresent", Command = ["sleep", "3600"] }],
                },
            },
        },
    };

    private static Process StartAgent(EngineHost host, string dir)
    {
        var tokenFile = Path.Combine(dir, "agent.token");
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "gitorch.dll"), "agent", "--server", host.BaseUrl.ToString(), "--token-file", tokenFile, "--ca-file", Path.Combine(dir, "ca.crt"),
                     "--node-name", NodeName, "--node-ip", NodeIP, "--data-dir", Path.Combine(dir, "agent"), "--log-level", "Warning" })
        {
            psi.ArgumentList.Add(a);
        }

        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrEmpty(e.Data))
            {
                Console.Error.WriteLine("agent: " + e.Data);
            }
        };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    /// <summary>SIGKILL one container at a time; latency = replacement's StartedAt - victim's FinishedAt (Docker's clocks).</summary>
    private static async Task<List<double>> RestartLatenciesAsync(DockerClient docker, GitOrchClient client)
    {
        var result = new List<double>();
        var pods = (await client.ListAsync<Pod>("default", "app=bench-sleeper")).Items.Take(RestartSamples).ToList();
        foreach (var pod in pods)
        {
            var victim = await docker.Containers.ListContainersAsync(new ContainersListParameters
            {
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{AgentLabels.PodUid}={pod.Metadata.Uid}"] = true } },
            });
            if (victim.Count != 1)
            {
                continue;
            }

            await docker.Containers.KillContainerAsync(victim[0].ID, new ContainerKillParameters { Signal = "KILL" });
            ContainerInspectResponse? replacement = null;
            await WaitAsync(async () =>
            {
                var all = await docker.Containers.ListContainersAsync(new ContainersListParameters
                {
                    Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{AgentLabels.PodUid}={pod.Metadata.Uid}"] = true } },
                });
                if (all.Count == 0 || all[0].ID == victim[0].ID)
                {
                    return false;
                }

                replacement = await docker.Containers.InspectContainerAsync(all[0].ID);
                return replacement.State?.Running == true;
            }, TimeSpan.FromSeconds(30), "replacement running");
            var dead = await docker.Containers.InspectContainerAsync(victim[0].ID);
            var finished = DateTimeOffset.Parse(dead.State!.FinishedAt, CultureInfo.InvariantCulture);
            var start = DateTimeOffset.Parse(replacement!.State!.StartedAt, CultureInfo.InvariantCulture);
            result.Add((start - finished).TotalMilliseconds);
        }

        return result;
    }

    private static async Task WaitAsync(Func<Task<bool>> done, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await done())
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(50);
        }
    }
}
