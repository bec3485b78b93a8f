using System.CommandLine;
using GitOrch.Engine.Hosting;

namespace GitOrch.Engine.Cli;

/// <summary><c>gitorch server</c>: runs the Engine (store, HTTP API, controllers) until SIGTERM or Ctrl+C.</summary>
public static class ServerCommand
{
    public const string Summary = "run the Engine: store, Kubernetes-style HTTP API, controllers";

    private const string Description = """
        Runs the GitOrch Engine in the foreground until SIGTERM or Ctrl+C, then stops accepting requests,
        finishes the writes in flight and closes the database cleanly.
        """;

    /// <summary>Every flag of <c>gitorch server</c>: one entry each (option, then where its value goes).</summary>
    public static readonly CliFlags<Settings> Flags = new()
    {
        {
            new Option<string>("--data-dir")
            {
                HelpName = "DIR",
                Description = "Where the database (gitorch.db) and the tokens live. At first start it writes admin.token (full access) and "
                    + "agent.token (for node agents), mode 0600. Clients send them as \"Authorization: Bearer <token>\".",
                DefaultValueFactory = _ => EngineOptions.DefaultDataDir,
            },
            (s, v) => s.Engine.DataDir = Path.GetFullPath(v)
        },
        {
            new Option<string>("--listen")
            {
                HelpName = "HOST:PORT",
                Description = "Address of the HTTP API (loopback only by default). Port 0 picks a free port; the address in use is printed at start.",
                DefaultValueFactory = _ => EngineOptions.DefaultListen,
            }.Parses(v => ListenAddress.Parse(v)),
            (s, v) => s.Engine.Listen = v
        },
        {
            new Option<bool>("--with-agent")
            {
                Description = "Also run a node agent in this process (single-machine setup): node name from the machine name, "
                    + "node address from --listen, API access with agent.token.",
            },
            (s, v) => s.Engine.WithAgent = v
        },
        {
            new Option<string>("--node-name")
            {
                HelpName = "NAME",
                Description = "Node name of the --with-agent agent (default: the machine name). Agents own the Docker containers labelled "
                    + "with their node name, so two engines with agents on one Docker engine need different names.",
            },
            (s, v) => s.NodeName = v
        },
        // Pod network address plan (issue 15): what kube-controller-manager and kube-apiserver take as flags.
        {
            new Option<string>("--cluster-cidr")
            {
                HelpName = "CIDR",
                Description = "Pod addresses of the cluster; each Node gets a slice as spec.podCIDR.",
                DefaultValueFactory = _ => Services.ClusterNetworkOptions.DefaultClusterCidr,
            },
            (s, v) => s.Engine.Network = s.Engine.Network with { ClusterCidr = v }
        },
        {
            new Option<string>("--service-cidr")
            {
                HelpName = "CIDR",
                Description = "Where Services get their spec.clusterIP.",
                DefaultValueFactory = _ => Services.ClusterNetworkOptions.DefaultServiceCidr,
            },
            (s, v) => s.Engine.Network = s.Engine.Network with { ServiceCidr = v }
        },
        {
            new Option<int>("--node-cidr-mask-size")
            {
                HelpName = "BITS",
                Description = "Prefix length of each Node's podCIDR.",
                DefaultValueFactory = _ => Services.ClusterNetworkOptions.DefaultNodeCidrMaskSize,
            },
            (s, v) => s.Engine.Network = s.Engine.Network with { NodeCidrMaskSize = v }
        },
        {
            new Option<bool>("--pod-network")
            {
                Description = "Run the --with-agent agent with the Pod network (own IP per Pod through CNI, ClusterIPs through iptables, cluster DNS).",
            },
            (s, v) => s.PodNetwork = v
        },
        {
            new Option<LogLevel>("--log-level")
            {
                HelpName = "LEVEL",
                Description = "Trace, Debug, Information, Warning, Error.",
                DefaultValueFactory = _ => LogLevel.Information,
            },
            (s, v) => s.Engine.LogLevel = v
        },
    };

    public static Command Create()
    {
        var command = new Command("server", Summary + "." + Environment.NewLine + Description);
        foreach (var flag in Flags)
        {
            command.Options.Add(flag);
        }

        command.SetAction((result, _) => RunAsync(Flags.Bind(result, new Settings())));
        return command;
    }

    public static async Task<int> RunAsync(Settings settings)
    {
        var options = settings.Engine;
        await using var host = await EngineHost.StartAsync(options);
        Console.WriteLine($"gitorch engine listening on {host.BaseUrl.ToString().TrimEnd('/')}");
        using var agentLoggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(options.LogLevel));
        await using var agent = options.WithAgent ? await EmbeddedAgent.StartAsync(host, agentLoggers, settings.NodeName, podNetwork: settings.PodNetwork ? new GitOrch.Agent.Network.PodNetworkOptions() : null) : null;
        Console.WriteLine($"data directory {options.DataDir} (tokens: {ApiTokenPaths(options.DataDir)})");
        if (agent != null)
        {
            // The embedded agent stops first, so it never talks to an Engine that is already gone.
            var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (host.Stopping.Register(() => stopping.TrySetResult()))
            {
                await stopping.Task;
            }

            await agent.DisposeAsync();
        }

        await host.RunUntilStoppedAsync();
        Console.WriteLine("gitorch engine stopped");
        return 0;
    }

    private static string ApiTokenPaths(string dataDir)
        => Path.Combine(dataDir, Security.ApiTokens.AdminFile) + ", " + Path.Combine(dataDir, Security.ApiTokens.AgentFile);

    /// <summary>What the flags of <c>gitorch server</c> set: the Engine's options and the embedded agent's node name.</summary>
    public sealed class Settings
    {
        public EngineOptions Engine { get; } = new();

        public string? NodeName { get; set; }

        /// <summary><c>--pod-network</c> for the embedded agent.</summary>
        public bool PodNetwork { get; set; }
    }
}
