using System.Collections;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Module;
using GitOrch.Tests.Infrastructure.Sources;
using Xunit.Sdk;

namespace GitOrch.Tests.Infrastructure.EndToEnd;

/// <summary>
/// Everything one end-to-end story needs, all real: a Git server (<c>git daemon</c>, git://) with a repository the
/// test pushes commits to, <c>gitorch</c> engine and agent processes, the Docker engine, and a PowerShell runspace
/// that imported ./GitOrch.psd1. Dispose kills every process it started and removes every container of its nodes.
/// </summary>
public sealed class EndToEndEnvironment : IAsyncDisposable
{
    /// <summary>Folder of the manifests inside the served repository (a copy of examples/hello).</summary>
    public const string AppPath = "hello";

    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(45);

    private readonly TempDirectory _dir = new("gitorch-e2e");
    private readonly List<GitorchProcess> _processes = new();
    private readonly HashSet<string> _nodes = new(StringComparer.Ordinal);
    private GitDaemon? _daemon;

    private EndToEndEnvironment()
    {
        Ps = new PowerShellSession();
    }

    public PowerShellSession Ps { get; }

    public TestRepo Repo { get; private set; } = null!;

    /// <summary>The repository as the engine fetches it: through the git server, never the file system.</summary>
    public string RepoUrl { get; private set; } = "";

    public string Root => _dir.Path;

    /// <summary>A Git server with a repository holding nothing yet; the work clone pushes through the server.</summary>
    public static async Task<EndToEndEnvironment> StartAsync()
    {
        var env = new EndToEndEnvironment();
        try
        {
            var served = Path.Combine(env.Root, "served");
            Directory.CreateDirectory(served);
            env.Repo = new TestRepo(served, "hello");
            env._daemon = await GitDaemon.StartAsync(served);
            env.RepoUrl = env._daemon.UrlOf("hello.git");
            Git.Run(env.Repo.WorkPath, "remote", "set-url", "origin", env.RepoUrl);
            return env;
        }
        catch
        {
            await env.DisposeAsync();
            throw;
        }
    }

    /// <summary>A node name no other test (or earlier run) uses; its containers are removed on dispose.</summary>
    public string NewNodeName(string prefix)
    {
        var name = DockerTestEnvironment.NewTestId("e2e-" + prefix);
        _nodes.Add(name);
        return name;
    }

    public async Task<EngineProcess> StartEngineAsync(string dataDir, string address, string? agentNodeName)
    {
        var engine = await EngineProcess.StartAsync(dataDir, address, agentNodeName, StartTimeout);
        _processes.Add(engine.Process);
        Ps.UseEngine(engine.BaseUrl, engine.AdminToken, engine.CaFile);
        return engine;
    }

    public async Task<AgentProcess> StartAgentAsync(EngineProcess engine, string nodeName, string nodeIP)
    {
        var agent = await AgentProcess.StartAsync(engine, nodeName, nodeIP, Path.Combine(Root, "agent-" + nodeName), StartTimeout);
        _processes.Add(agent.Process);
        return agent;
    }

    /// <summary>Copies examples/hello into the repository as the app folder (what a newcomer starts from).</summary>
    public void WriteHelloExample()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(PowerShellSession.RepoRoot, "examples", "hello"), "*.yaml"))
        {
            Repo.Write(Path.Combine(AppPath, Path.GetFileName(file)), File.ReadAllText(file));
        }
    }

    public string ReadAppFile(string name) => File.ReadAllText(Path.Combine(Repo.WorkPath, AppPath, name));

    public void WriteAppFile(string name, string content) => Repo.Write(Path.Combine(AppPath, name), content);

    /// <summary>Commits everything and pushes it through the git server (to the branch, or to <paramref name="pushTo"/>).</summary>
    public string CommitAndPush(string message, string? pushTo = null) => Repo.Commit(message, pushTo);

    /// <summary>Runs PowerShell and fails with its errors, if it wrote any.</summary>
    public RunResult Run(string script, IDictionary? variables = null) => Ps.Run(script, variables).ThrowOnError();

    public IReadOnlyList<PodRow> Pods(string selector, string ns = "default")
        => Run(PodRow.Script, new Hashtable { ["ns"] = ns, ["sel"] = selector }).Output.Select(o => PodRow.Parse(o.ToString())).ToList();

    /// <summary>Waits until exactly <paramref name="count"/> Pods match and all of them run with every container ready.</summary>
    public Task<IReadOnlyList<PodRow>> WaitPodsRunningAsync(string selector, int count, string ns = "default")
        => Poll.UntilAsync(() => Pods(selector, ns), pods => pods.Count == count && pods.All(p => p.IsRunningAndReady), Deadline, $"{count} Running {selector} Pods in {ns}");

    /// <summary>Polls an HTTP GET until the body contains <paramref name="expected"/>.</summary>
    public Task<string> WaitPageAsync(string host, int port, string expected)
        => Poll.UntilAsync(() => ServiceHttp.GetAsync(host, port), body => body.Contains(expected, StringComparison.Ordinal), Deadline, $"http://{host}:{port}/ to serve \"{expected}\"");

    /// <summary>Sync-GitOrchSource -Wait: one reconcile of the source now; returns the source as it stands afterwards.</summary>
    public RunResult SyncSource(string name = "hello") => Ps.Run("Sync-GitOrchSource $name -Wait -Timeout 00:00:30", new Hashtable { ["name"] = name });

    /// <summary>Get-GitOrchSource: Ready, Reason, Message, LastAppliedCommit ... of one source.</summary>
    public System.Management.Automation.PSObject Source(string name = "hello") => Run("Get-GitOrchSource $name", new Hashtable { ["name"] = name }).Output.Single();

    /// <summary>
    /// The common start of a story: examples/hello committed and pushed, a GitSource on it (polling off: the test
    /// syncs), synced, its Pod Running and its page served through the Service on <paramref name="serviceHost"/>.
    /// </summary>
    public async Task<string> DeployHelloAsync(string serviceHost)
    {
        WriteHelloExample();
        var commit = CommitAndPush("hello example");
        Run("Set-GitOrchSource hello -Url $url -Branch main -Path $path -Interval 01:00:00", new Hashtable { ["url"] = RepoUrl, ["path"] = AppPath });
        SyncSource().ThrowOnError();
        await WaitPodsRunningAsync("app=hello", 1);
        await WaitPageAsync(serviceHost, HelloPorts.Service, HelloPorts.FirstHeading);
        return commit;
    }

    /// <summary>
    /// Runs the test's body; when it fails, the failure carries the output of every gitorch process of the test (the
    /// killed ones too), which is where the reason usually is.
    /// </summary>
    public async Task RunStoryAsync(Func<Task> body)
    {
        try
        {
            await body();
        }
        catch (Exception e)
        {
            var containers = new List<string>();
            foreach (var node in _nodes)
            {
                containers.Add($"--- docker containers of node {node} ---\n  " + Poll.Describe(await NodeContainers.ListAsync(node)));
            }

            throw new XunitException(e + "\n\n" + string.Join("\n\n", containers.Concat(_processes.Select(p => p.Output()))));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in Enumerable.Reverse(_processes))
        {
            p.Dispose();
        }

        foreach (var node in _nodes)
        {
            await NodeContainers.RemoveAllAsync(node);
        }

        if (_daemon != null)
        {
            await _daemon.DisposeAsync();
        }

        Ps.Dispose();
        _dir.Dispose();
    }
}
