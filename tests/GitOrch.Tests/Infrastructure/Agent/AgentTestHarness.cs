using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using GitOrch.Agent;
using GitOrch.Agent.Hosting;
using GitOrch.Api.Client;
using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure;
using ContainerStatus = GitOrch.Api.Model.ContainerStatus;

namespace GitOrch.Tests.Infrastructure.Agent;

/// <summary>
/// A real Engine plus one or more real agents on the real Docker engine. Each agent gets a unique node name (so
/// cleanup by the node label never touches another test's containers) and its own loopback address from
/// 127.0.0.10-127.0.0.49. Pods are created already bound (spec.nodeName), as the scheduler would leave them.
/// </summary>
public sealed class AgentTestHarness : IAsyncDisposable
{
    private static int _nextAddress;
    private readonly List<AgentHost> _agents = [];
    private readonly List<string> _nodeNames = [];
    private readonly TempDirectory _dataDir = new("gitorch-agent");

    private AgentTestHarness(TestEngine engine)
    {
        Engine = engine;
        Docker = DockerTestEnvironment.CreateClient();
    }

    public TestEngine Engine { get; }

    public GitOrchClient Client => Engine.Client;

    public DockerClient Docker { get; }

    public AgentHost Agent => _agents[0];

    public string NodeName => _nodeNames[0];

    /// <param name="startComponents">Also run the Engine's controllers and scheduler (Pods are then created by workloads).</param>
    public static async Task<AgentTestHarness> StartAsync(bool startAgent = true, Func<AgentOptions, AgentOptions>? configure = null, bool startComponents = false)
    {
        var engine = await TestEngine.StartAsync(startComponents);
        var harness = new AgentTestHarness(engine);
        if (startAgent)
        {
            await harness.StartAgentAsync(configure: configure);
        }

        return harness;
    }

    /// <summary>127.0.0.10 .. 127.0.0.49, round robin.</summary>
    public static string NextAddress() => $"127.0.0.{10 + (Interlocked.Increment(ref _nextAddress) % 40)}";

    public string NewNodeName() => DockerTestEnvironment.NewTestId("node");

    public AgentOptions Options(string? nodeName = null, string? nodeIP = null) => new()
    {
        Server = Engine.BaseUrl,
        Token = Engine.AgentToken,
        Ca = Engine.Ca,
        NodeName = nodeName ?? NewNodeName(),
        NodeIP = nodeIP ?? NextAddress(),
        DataDir = Path.Combine(_dataDir.Path, nodeName ?? "agent"),
        ResyncInterval = TimeSpan.FromSeconds(3),
        HeartbeatInterval = TimeSpan.FromSeconds(1),
    };

    public async Task<AgentHost> StartAgentAsync(AgentOptions? options = null, Func<AgentOptions, AgentOptions>? configure = null)
    {
        options ??= Options();
        if (configure != null)
        {
            options = configure(options);
        }

        var agent = await AgentHost.StartAsync(options);
        _agents.Add(agent);
        if (!_nodeNames.Contains(options.NodeName))
        {
            _nodeNames.Add(options.NodeName);
        }

        return agent;
    }

    /// <summary>Stops an agent the way a crash would look to Docker: containers stay, nothing is cleaned up.</summary>
    public async Task StopAgentAsync(AgentHost agent)
    {
        _agents.Remove(agent);
        await agent.DisposeAsync();
    }

    public void TrackNode(string nodeName)
    {
        if (!_nodeNames.Contains(nodeName))
        {
            _nodeNames.Add(nodeName);
        }
    }

    public static Container Busybox(string name, params string[] shellScript) => new()
    {
        Name = name,
        Image = DockerTestEnvironment.TestImage,
        ImagePullPolicy = "IfNotPresent",
        Command = shellScript.Length == 0 ? ["sleep", "3600"] : ["sh", "-c", string.Join("\n", shellScript)],
    };

    public Task<Pod> CreatePodAsync(string name, params Container[] containers) => CreatePodAsync(name, spec => spec.Containers.AddRange(containers));

    public async Task<Pod> CreatePodAsync(string name, Action<PodSpec> configure, string? nodeName = null)
    {
        var spec = new PodSpec { NodeName = nodeName ?? NodeName, TerminationGracePeriodSeconds = 2 };
        configure(spec);
        return await Client.CreateAsync(new Pod { Metadata = new ObjectMeta { Name = name, Namespace = "default" }, Spec = spec });
    }

    public Task<Pod> WaitForPodAsync(string name, Func<Pod, bool> done, string what, TimeSpan? timeout = null)
        => Eventually.UntilAsync(
            async () => await Client.GetAsync<Pod>("default", name),
            done,
            timeout ?? TimeSpan.FromSeconds(30),
            $"pod {name} {what}");

    public Task<Pod> WaitForRunningAsync(string name, TimeSpan? timeout = null)
        => WaitForPodAsync(name, p => p.Status?.Phase == "Running" && p.Status.ContainerStatuses?.All(c => c.State?.Running != null) == true, "Running", timeout);

    public static ContainerStatus Status(Pod pod, string container = "main")
        => pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == container) ?? throw new InvalidOperationException($"no status for container {container}: {Describe(pod)}");

    public static string Describe(Pod pod) => GitOrch.Api.Serialization.KubeJson.Serialize(pod.Status ?? new PodStatus(), typeof(PodStatus));

    /// <summary>This node's Docker containers of a Pod, by the agent's labels.</summary>
    public async Task<IList<ContainerListResponse>> ContainersOfAsync(string podName, string? nodeName = null)
        => await Docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool>
                {
                    [$"{AgentLabels.NodeName}={nodeName ?? NodeName}"] = true,
                    [$"{AgentLabels.PodName}={podName}"] = true,
                },
            },
        });

    /// <summary>Runs a command in the Pod's running container and returns its output.</summary>
    public async Task<string> ExecAsync(Pod pod, string container, params string[] command)
    {
        var id = Status(pod, container).ContainerID!["docker://".Length..];
        var exec = await Docker.Exec.CreateContainerExecAsync(id, new ContainerExecCreateParameters { Cmd = command, AttachStdout = true, AttachStderr = true });
        using var stream = await Docker.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters());
        var (stdout, stderr) = await stream.ReadOutputToEndAsync(CancellationToken.None);
        return stdout + stderr;
    }

    public async Task<List<Event>> EventsOfAsync(string podName)
        => (await Client.ListAsync<Event>("default")).Items.Where(e => e.InvolvedObject.Name == podName).ToList();

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents.ToList())
        {
            await agent.DisposeAsync();
        }

        foreach (var node in _nodeNames)
        {
            await DockerTestEnvironment.RemoveContainersByLabelAsync(Docker, AgentLabels.NodeName, node);
        }

        Docker.Dispose();
        await Engine.DisposeAsync();
        _dataDir.Dispose();
    }

    public static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
