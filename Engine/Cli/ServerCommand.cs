using GitOrch.Engine.Hosting;

namespace GitOrch.Engine.Cli;

/// <summary><c>gitorch server</c>: runs the Engine (store, HTTP API, controllers) until SIGTERM or Ctrl+C.</summary>
public static class ServerCommand
{
    public const string Summary = "run the Engine: store, Kubernetes-style HTTP API, controllers";

    public static string Help => $"""
        Usage: gitorch server [--data-dir DIR] [--listen HOST:PORT] [--with-agent [--node-name NAME]] [--log-level LEVEL]

        Runs the GitOrch Engine in the foreground until SIGTERM or Ctrl+C, then stops accepting requests,
        finishes the writes in flight and closes the database cleanly.

        Options:
          --data-dir DIR       Where the database (gitorch.db) and the tokens live.
                               Default: {EngineOptions.DefaultDataDir}
                               At first start it writes admin.token (full access) and agent.token (for node
                               agents), mode 0600. Clients send them as "Authorization: Bearer <token>".
          --listen HOST:PORT   Address of the HTTP API. Default: {EngineOptions.DefaultListen} (loopback only).
                               Port 0 picks a free port; the address in use is printed at start.
          --with-agent         Also run a node agent in this process (single-machine setup): node name from
                               the machine name, node address from --listen, API access with agent.token.
          --node-name NAME     Node name of the --with-agent agent (default: the machine name). Agents own the
                               Docker containers labelled with their node name, so two engines with agents on
                               one Docker engine need different names.
          --log-level LEVEL    Trace, Debug, Information (default), Warning, Error.
          -h, --help           Show this help.
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var cl = CommandLine.Parse(args, ["data-dir", "listen", "log-level", "node-name"], ["with-agent"]);
        if (cl.Help)
        {
            Console.WriteLine(Help);
            return 0;
        }

        var options = new EngineOptions
        {
            DataDir = Path.GetFullPath(cl.Value("data-dir") ?? EngineOptions.DefaultDataDir),
            Listen = cl.Value("listen") ?? EngineOptions.DefaultListen,
            WithAgent = cl.Flag("with-agent"),
        };
        if (cl.Value("log-level") is { } level)
        {
            options.LogLevel = Enum.TryParse<LogLevel>(level, ignoreCase: true, out var l) ? l : throw new UsageException($"unknown log level \"{level}\"");
        }

        try
        {
            ListenAddress.Parse(options.Listen);
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }

        await using var host = await EngineHost.StartAsync(options);
        Console.WriteLine($"gitorch engine listening on {host.BaseUrl.ToString().TrimEnd('/')}");
        using var agentLoggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(options.LogLevel));
        await using var agent = options.WithAgent ? await EmbeddedAgent.StartAsync(host, agentLoggers, cl.Value("node-name")) : null;
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
}
