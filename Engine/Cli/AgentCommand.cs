using System.Globalization;
using System.Runtime.InteropServices;
using GitOrch.Agent;
using GitOrch.Agent.Hosting;

namespace GitOrch.Engine.Cli;

/// <summary><c>gitorch agent</c>: runs a node agent (kubelet) against an Engine until SIGTERM or Ctrl+C.</summary>
public static class AgentCommand
{
    public const string Summary = "run a node agent: register the Node, run its Pods on Docker";

    public static string Help => $"""
        Usage: gitorch agent --server URL --token-file FILE --node-name NAME [--node-ip ADDRESS] [--proxy-address ADDRESS]
                             [--docker-endpoint URI] [--data-dir DIR] [--max-parallel-starts N] [--log-level LEVEL]

        Registers Node NAME with the Engine at URL, renews its heartbeat, and runs the Pods bound to it as Docker
        containers (host networking). Talks to the Engine only through its HTTP API. Stopping the agent leaves the
        containers running; the next agent with the same node name adopts them.

        Options:
          --server URL              The Engine's HTTP API, e.g. http://127.0.0.1:6443 (required).
          --token-file FILE         File holding the Engine's agent token (<data-dir>/agent.token) (required).
          --node-name NAME          Name of this node (required). Containers are labelled with it.
          --node-ip ADDRESS         Address of this node: the Pods' hostIP/podIP and where the agent's log
                                    endpoint listens. Default: 127.0.0.1.
          --proxy-address ADDRESS   Where this node's Service proxy listens for Service ports: Pods on this node
                                    reach every Service at ADDRESS:<port> (<svc>.<ns>.svc resolves to it).
                                    NodePorts listen on the node address. Default: the node address.
          --docker-endpoint URI     Docker Engine API. Default: {AgentOptions.DefaultDockerEndpoint}
          --data-dir DIR            Pod volumes (emptyDir, configMap/secret files). Default: ~/.gitorch/agent-NAME
          --max-parallel-starts N   Containers created/started at once. Default: {AgentOptions.DefaultMaxParallelStarts}.
          --log-port PORT           Port of the log endpoint on ADDRESS. Default: 0 (any free port, published
                                    in the Node's status.daemonEndpoints).
          --log-level LEVEL         Trace, Debug, Information (default), Warning, Error.
          -h, --help                Show this help.
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var cl = CommandLine.Parse(args, ["server", "token-file", "node-name", "node-ip", "proxy-address", "docker-endpoint", "data-dir", "max-parallel-starts", "log-port", "log-level"], []);
        if (cl.Help)
        {
            Console.WriteLine(Help);
            return 0;
        }

        var server = cl.Value("server") ?? throw new UsageException("--server is required");
        var tokenFile = cl.Value("token-file") ?? throw new UsageException("--token-file is required");
        var nodeName = cl.Value("node-name") ?? throw new UsageException("--node-name is required");
        if (!Uri.TryCreate(server, UriKind.Absolute, out var serverUri))
        {
            throw new UsageException($"--server \"{server}\" is not an absolute URL");
        }

        var token = File.ReadAllText(tokenFile).Trim();
        var level = LogLevel.Information;
        if (cl.Value("log-level") is { } l && !Enum.TryParse(l, ignoreCase: true, out level))
        {
            throw new UsageException($"unknown log level \"{l}\"");
        }

        var options = new AgentOptions
        {
            Server = serverUri,
            Token = token,
            NodeName = nodeName,
            NodeIP = cl.Value("node-ip") ?? "127.0.0.1",
            ProxyAddress = cl.Value("proxy-address"),
            DockerEndpoint = new Uri(cl.Value("docker-endpoint") ?? AgentOptions.DefaultDockerEndpoint),
            DataDir = Path.GetFullPath(cl.Value("data-dir") ?? Path.Combine(EngineOptionsDefaults.Home, "agent-" + nodeName)),
            MaxParallelStarts = Int(cl, "max-parallel-starts", AgentOptions.DefaultMaxParallelStarts),
            LogPort = Int(cl, "log-port", 0),
        };

        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(level));
        await using var agent = await AgentHost.StartAsync(options, loggers);
        Console.WriteLine($"gitorch agent for node {options.NodeName} ({options.NodeIP}) connected to {serverUri}; logs endpoint {agent.LogUrl}");
        await WaitForStopAsync();
        Console.WriteLine("gitorch agent stopping (containers keep running)");
        return 0;
    }

    /// <summary>Completes on SIGTERM, SIGINT or Ctrl+C.</summary>
    public static async Task WaitForStopAsync()
    {
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.TrySetResult();
        });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c =>
        {
            c.Cancel = true;
            stop.TrySetResult();
        });
        await stop.Task;
    }

    private static int Int(CommandLine cl, string name, int fallback)
    {
        var v = cl.Value(name);
        if (v == null)
        {
            return fallback;
        }

        return int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : throw new UsageException($"--{name} must be a non-negative number");
    }

    private static class EngineOptionsDefaults
    {
        public static string Home => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".gitorch");
    }
}
