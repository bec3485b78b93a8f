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
                Description = "Where the database (gitorch.db), the tokens and the TLS files live. At first start it writes admin.token (full access), "
                    + "agent.token (for node agents), ca.crt/ca.key (the Engine's CA) and server.crt/server.key (its HTTPS certificate), keys and "
                    + "tokens mode 0600; at every start kubeconfig.yaml (for kubectl) and join.token (K10<CA sha256>::<agent token>).",
                DefaultValueFactory = _ => EngineOptions.DefaultDataDir,
            },
            (s, v) => s.Engine.DataDir = Path.GetFullPath(v)
        },
        {
            new Option<string>("--listen")
            {
                HelpName = "HOST:PORT",
                Description = "Address of the HTTPS API (loopback only by default). Port 0 picks a free port; the address in use is printed at start.",
                DefaultValueFactory = _ => EngineOptions.DefaultListen,
            }.Parses(v => ListenAddress.Parse(v)),
            (s, v) => s.Engine.Listen = v
        },
        {
            new Option<string[]>("--tls-san")
            {
                HelpName = "NAME",
                Description = "Extra DNS name or IP address for the HTTPS certificate (repeatable), e.g. the name agents on other machines use. "
                    + "The certificate always names the listen address, localhost, 127.0.0.1 and the host name; it is re-issued when the names "
                    + "change (the CA in ca.crt stays).",
                AllowMultipleArgumentsPerToken = false,
            },
            (s, v) =>
            {
                foreach (var name in v)
                {
                    s.Engine.TlsSubjectAlternativeNames.Add(name);
                }
            }
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
        await using var agent = options.WithAgent ? await EmbeddedAgent.StartAsync(host, agentLoggers, settings.NodeName) : null;
        PrintClientFiles(host);
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

    /// <summary>What a user or an agent on another machine needs to connect: the kubeconfig and the K10 join token.</summary>
    private static void PrintClientFiles(EngineHost host)
    {
        Console.WriteLine($"CA sha256:{host.Ca.Fingerprint} ({Path.Combine(host.Options.DataDir, Security.Tls.TlsFiles.CaCertificate)})");
        Console.WriteLine($"kubeconfig {host.KubeconfigPath} (KUBECONFIG={host.KubeconfigPath} kubectl get pods)");
        Console.WriteLine($"join token in {Path.Combine(host.Options.DataDir, Security.Tls.TlsFiles.JoinToken)}: gitorch agent --server {host.BaseUrl.ToString().TrimEnd('/')} --token-file <that file> --node-name NAME");
    }

    private static string ApiTokenPaths(string dataDir)
        => Path.Combine(dataDir, Security.ApiTokens.AdminFile) + ", " + Path.Combine(dataDir, Security.ApiTokens.AgentFile);

    /// <summary>What the flags of <c>gitorch server</c> set: the Engine's options and the embedded agent's node name.</summary>
    public sealed class Settings
    {
        public EngineOptions Engine { get; } = new();

        public string? NodeName { get; set; }
    }
}
