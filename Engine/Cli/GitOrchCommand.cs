using System.CommandLine;
using Microsoft.Extensions.Options;

namespace GitOrch.Engine.Cli;

/// <summary>
/// The <c>gitorch</c> command line on System.CommandLine: help is generated from the commands' flag declarations.
/// Exit codes: 0 done, 1 failed at run time (e.g. the listen address is taken), 2 bad command line.
/// </summary>
public static class GitOrchCommand
{
    public const string Description = "GitOrch: a GitOps-first container orchestrator.";

    /// <summary>Sub-commands. Each feature adds one line (e.g. <c>AgentCommand.Create()</c>).</summary>
    public static RootCommand Create() => new(Description)
    {
        ServerCommand.Create(),
        AgentCommand.Create(),
        KubeconfigCommand.Create(),
    };

    public static async Task<int> InvokeAsync(string[] args)
    {
        var root = Create();
        if (args.Length == 0)
        {
            await root.Parse("--help").InvokeAsync();
            return 2;
        }

        var result = root.Parse(args is ["help", .. var rest] ? [.. rest, "--help"] : args);
        var command = result.CommandResult.Command == root ? "gitorch" : "gitorch " + result.CommandResult.Command.Name;
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                await Console.Error.WriteLineAsync($"{command}: {error.Message}");
            }

            await Console.Error.WriteLineAsync($"(see {command} --help)");
            return 2;
        }

        try
        {
            // The commands stop on SIGTERM/Ctrl+C themselves and take as long as a clean shutdown needs.
            return await result.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });
        }
        catch (OptionsValidationException e)
        {
            // A setting the flags' own checks let through, named by EngineOptionsValidator.
            await Console.Error.WriteLineAsync($"{command}: {e.Message}");
            return 2;
        }
        catch (IOException e)
        {
            // Typically the listen address is taken, the data directory is not writable or the token file is missing.
            await Console.Error.WriteLineAsync($"{command}: {e.Message}");
            return 1;
        }
    }
}
