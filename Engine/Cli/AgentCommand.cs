using System.CommandLine;
using System.Runtime.InteropServices;
using GitOrch.Agent;
using GitOrch.Agent.Hosting;
using GitOrch.Api.Client.Tls;

namespace GitOrch.Engine.Cli;

/// <summary><c>gitorch agent</c>: runs a node agent (kubelet) against an Engine until SIGTERM or Ctrl+C.</summary>
public static class AgentCommand
{
    public const string Summary = "run a node agent: register the Node, run its Pods on Docker";

    private const string Description = """
        Registers Node NAME with the Engine at URL, renews its heartbeat, and runs the Pods bound to it as Docker
        containers (host networking). Talks to the Engine only through its HTTP API. Stopping the agent leaves the
        containers running; the next agent with the same node name adopts them.
        """;

    private static string Home => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".gitorch");

    /// <summary>Every flag of <c>gitorch agent</c>: one entry each (option, then where its value goes), applied in this order.</summary>
    public static readonly CliFlags<AgentOptions> Flags = new()
    {
        {
            new Option<string>("--server")
            {
                HelpName = "URL",
                Description = "The Engine's HTTPS API, e.g. https://127.0.0.1:6443.",
                Required = true,
            }.AbsoluteUrl(),
            (o, v) => o with { Server = new Uri(v) }
        },
        {
            new Option<string>("--token-file")
            {
                HelpName = "FILE",
                Description = "File holding the Engine's K10 join token (<data-dir>/join.token: the agent token and the CA's fingerprint, "
                    + "which the agent checks the Engine's certificate against) or its plain agent token (<data-dir>/agent.token; then --ca-file is needed).",
                Required = true,
            },
            (o, v) => WithJoinToken(o, v)
        },
        {
            // After --token-file: a CA file given with a K10 token must be the CA the token pins.
            new Option<string>("--ca-file")
            {
                HelpName = "FILE",
                Description = "The Engine's CA certificate (<data-dir>/ca.crt, PEM). Needed with a plain agent token; optional with a K10 join token.",
            },
            (o, v) => WithCaFile(o, v)
        },
        {
            // Before --data-dir: the node name picks the default data directory.
            new Option<string>("--node-name")
            {
                HelpName = "NAME",
                Description = "Name of this node. Containers are labelled with it.",
                Required = true,
            },
            (o, v) => o with { NodeName = v, DataDir = Path.Combine(Home, "agent-" + v) }
        },
        {
            new Option<string>("--node-ip")
            {
                HelpName = "ADDRESS",
                Description = "Address of this node: the Pods' hostIP/podIP and where the agent's log endpoint listens.",
                DefaultValueFactory = _ => "127.0.0.1",
            },
            (o, v) => o with { NodeIP = v }
        },
        {
            new Option<string>("--proxy-address")
            {
                HelpName = "ADDRESS",
                Description = "Where this node's Service proxy listens for Service ports: Pods on this node reach every Service at "
                    + "ADDRESS:<port> (<svc>.<ns>.svc resolves to it). NodePorts listen on the node address. Default: the node address.",
            },
            (o, v) => o with { ProxyAddress = v }
        },
        {
            new Option<string>("--docker-endpoint")
            {
                HelpName = "URI",
                Description = "Docker Engine API.",
                DefaultValueFactory = _ => AgentOptions.DefaultDockerEndpoint,
            }.AbsoluteUrl(),
            (o, v) => o with { DockerEndpoint = new Uri(v) }
        },
        {
            new Option<string>("--data-dir")
            {
                HelpName = "DIR",
                Description = "Pod volumes (emptyDir, configMap/secret files). Default: ~/.gitorch/agent-NAME",
            },
            (o, v) => o with { DataDir = Path.GetFullPath(v) }
        },
        {
            new Option<int>("--max-parallel-starts")
            {
                HelpName = "N",
                Description = "Containers created/started at once.",
                DefaultValueFactory = _ => AgentOptions.DefaultMaxParallelStarts,
            }.NonNegative(),
            (o, v) => o with { MaxParallelStarts = v }
        },
        {
            new Option<int>("--log-port")
            {
                HelpName = "PORT",
                Description = "Port of the log endpoint on the node address; 0 picks any free port (published in the Node's status.daemonEndpoints).",
                DefaultValueFactory = _ => 0,
            }.NonNegative(),
            (o, v) => o with { LogPort = v }
        },
        {
            new Option<double>("--usage-interval")
            {
                HelpName = "SECONDS",
                Description = "How often container and node CPU/memory is sampled for /stats/usage (metrics.k8s.io, autoscaling).",
                DefaultValueFactory = _ => 1,
            },
            (o, v) => o with { UsageSampleInterval = TimeSpan.FromSeconds(Math.Max(0.1, v)) }
        },
        {
            new Option<LogLevel>("--log-level")
            {
                HelpName = "LEVEL",
                Description = "Trace, Debug, Information, Warning, Error.",
                DefaultValueFactory = _ => LogLevel.Information,
            },
            (o, _) => o // the loggers are not part of AgentOptions: Create reads this flag itself
        },
    };

    public static Command Create()
    {
        var command = new Command("agent", Summary + "." + Environment.NewLine + Description);
        foreach (var flag in Flags)
        {
            command.Options.Add(flag);
        }

        command.SetAction((result, _) =>
        {
            // Required flags are checked by the parser; these placeholders are always overwritten.
            AgentOptions options;
            try
            {
                options = Flags.Bind(result, new AgentOptions { Server = new Uri("https://unset"), Token = "", NodeName = "" });
                AgentHost.CreateClient(options).Dispose(); // checks that an https server comes with a CA before anything starts
            }
            catch (Exception e) when (e is FormatException or ArgumentException or InvalidDataException)
            {
                Console.Error.WriteLine($"gitorch agent: {e.Message}");
                return Task.FromResult(2);
            }

            return RunAsync(options, result.GetValue<LogLevel>("--log-level"));
        });
        return command;
    }

    public static async Task<int> RunAsync(AgentOptions options, LogLevel level)
    {
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(level));
        AgentHost agent;
        try
        {
            agent = await AgentHost.StartAsync(options, loggers);
        }
        catch (EngineCertificateException e)
        {
            // The Engine is not the one the token or CA file names: say so, never send the token to it.
            await Console.Error.WriteLineAsync($"gitorch agent: refusing {options.Server}: {e.Message}");
            return 1;
        }

        await using var running = agent;
        Console.WriteLine($"gitorch agent for node {options.NodeName} ({options.NodeIP}) connected to {options.Server}; logs endpoint {agent.LogUrl}");
        await WaitForStopAsync();
        Console.WriteLine("gitorch agent stopping (containers keep running)");
        return 0;
    }

    private static AgentOptions WithJoinToken(AgentOptions options, string file)
    {
        var join = JoinToken.Parse(File.ReadAllText(file), file);
        return options with
        {
            Token = join.Token,
            Ca = join.CaFingerprint == null ? options.Ca : EngineCa.FromFingerprint(join.CaFingerprint, "the K10 join token in " + file),
        };
    }

    private static AgentOptions WithCaFile(AgentOptions options, string file)
    {
        var ca = EngineCa.FromPemFile(Path.GetFullPath(file));
        if (options.Ca != null && options.Ca.Fingerprint != ca.Fingerprint)
        {
            throw new InvalidDataException($"--ca-file {file} holds the CA sha256:{ca.Fingerprint}, but {options.Ca.Source} pins sha256:{options.Ca.Fingerprint}");
        }

        return options with { Ca = ca };
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
}
