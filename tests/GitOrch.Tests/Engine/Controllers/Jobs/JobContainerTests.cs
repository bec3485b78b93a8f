using GitOrch.Agent;
using GitOrch.Agent.Hosting;
using GitOrch.Api.Model;
using GitOrch.Engine.Controllers.Jobs;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Agent;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace GitOrch.Tests.Engine.Controllers.Jobs;

/// <summary>Jobs on a real Engine (controllers and scheduler) and a real agent running busybox containers on Docker.</summary>
[Collection(AgentCollection.Name)]
[Trait("Requires", "Docker")]
public sealed class JobContainerTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly TempDirectory _data = new("gitorch-job-agent");
    private readonly string _node = DockerTestEnvironment.NewTestId("node");
    private TestEngine _engine = null!;
    private AgentHost _agent = null!;

    public async Task InitializeAsync()
    {
        // Retries one second apart instead of ten, so the backoff test takes seconds.
        _engine = await TestEngine.StartAsync(startComponents: true, configureServices: s => s.AddSingleton(new JobOptions { BackoffBase = TimeSpan.FromSeconds(1) }));
        _agent = await AgentHost.StartAsync(new AgentOptions
        {
            Server = _engine.BaseUrl,
            Token = _engine.AgentToken,
            Ca = _engine.Ca,
            NodeName = _node,
            NodeIP = AgentTestHarness.NextAddress(),
            DataDir = _data.Path,
            HeartbeatInterval = TimeSpan.FromSeconds(1),
            ResyncInterval = TimeSpan.FromSeconds(3),
        });
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        using (var docker = DockerTestEnvironment.CreateClient())
        {
            await DockerTestEnvironment.RemoveContainersByLabelAsync(docker, AgentLabels.NodeName, _node);
        }

        await _engine.DisposeAsync();
        _data.Dispose();
    }

    private static Job NewJob(string name, string script, Action<JobSpec>? edit = null)
    {
        var spec = new JobSpec
        {
            Template = new PodTemplateSpec
            {
                Metadata = new ObjectMeta { Labels = new() { ["app"] = name } },
                Spec = new PodSpec
                {
                    RestartPolicy = "Never",
                    TerminationGracePeriodSeconds = 1,
                    Containers = { AgentTestHarness.Busybox("main", script) },
                },
            },
        };
        edit?.Invoke(spec);
        return new Job { Metadata = new ObjectMeta { Name = name, Namespace = "default" }, Spec = spec };
    }

    private Task<Job> WaitForConditionAsync(string name, string type)
        => Eventually.UntilAsync(
            async () => await _engine.Client.GetAsync<Job>("default", name),
            j => j.Status?.Conditions?.Any(c => c.Type == type && c.Status == "True") == true,
            Timeout,
            $"job {name} {type}");

    [Fact]
    public async Task Indexed_job_whose_containers_exit_zero_completes_every_index()
    {
        // Each container checks it got its own index, then exits 0.
        await _engine.Client.CreateAsync(NewJob("idx", "test -n \"$JOB_COMPLETION_INDEX\" && test \"$JOB_COMPLETION_INDEX\" -lt 3", s =>
        {
            s.CompletionMode = "Indexed";
            s.Completions = 3;
            s.Parallelism = 3;
        }));
        var job = await WaitForConditionAsync("idx", "Complete");
        Assert.Equal("0-2", job.Status!.CompletedIndexes);
        Assert.Equal(3, job.Status.Succeeded);
        Assert.Null(job.Status.Failed);
    }

    [Fact]
    public async Task Job_whose_container_exits_one_is_retried_to_backoffLimit_then_fails()
    {
        await _engine.Client.CreateAsync(NewJob("boom", "exit 1", s => s.BackoffLimit = 1));
        var job = await WaitForConditionAsync("boom", "Failed");
        Assert.Equal("BackoffLimitExceeded", job.Status!.Conditions!.Single(c => c.Type == "Failed").Reason);
        Assert.Equal(2, job.Status.Failed);
        var pods = (await _engine.Client.ListAsync<Pod>("default")).Items.Where(p => p.Metadata.Labels?.GetValueOrDefault("app") == "boom").ToList();
        Assert.Equal(2, pods.Count);
        Assert.All(pods, p => Assert.Equal(1, p.Status!.ContainerStatuses!.Single().State!.Terminated!.ExitCode));
    }
}
