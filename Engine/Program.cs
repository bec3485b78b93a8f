using GitOrch.Engine.Cli;

namespace GitOrch.Engine;

/// <summary>The <c>gitorch</c> executable: one sub-command per role.</summary>
public static class Program
{
    /// <summary>Sub-commands. Each feature adds one line (e.g. <c>["agent"] = (AgentCommand.Summary, AgentCommand.RunAsync)</c>).</summary>
    private static readonly Dictionary<string, (string Summary, Func<IReadOnlyList<string>, Task<int>> Run)> Commands = new(StringComparer.Ordinal)
    {
        ["server"] = (ServerCommand.Summary, ServerCommand.RunAsync),
        ["agent"] = (AgentCommand.Summary, AgentCommand.RunAsync),
    };

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help" or "-?")
        {
            Console.WriteLine(Usage());
            return args.Length == 0 ? 2 : 0;
        }

        if (!Commands.TryGetValue(args[0], out var command))
        {
            await Console.Error.WriteLineAsync($"gitorch: unknown command \"{args[0]}\"\n\n{Usage()}");
            return 2;
        }

        try
        {
            return await command.Run(args[1..]);
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync($"gitorch {args[0]}: {e.Message} (see gitorch {args[0]} --help)");
            return 2;
        }
        catch (IOException e)
        {
            // Typically the listen address is taken or the data directory is not writable.
            await Console.Error.WriteLineAsync($"gitorch {args[0]}: {e.Message}");
            return 1;
        }
    }

    private static string Usage()
    {
        var lines = Commands.Select(c => $"  {c.Key,-10} {c.Value.Summary}");
        return $"""
            GitOrch: a GitOps-first container orchestrator.

            Usage: gitorch <command> [options]

            Commands:
            {string.Join(Environment.NewLine, lines)}

            Run "gitorch <command> --help" for the options of a command.
            """;
    }
}
