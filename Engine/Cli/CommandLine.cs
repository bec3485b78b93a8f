namespace GitOrch.Engine.Cli;

/// <summary>
/// A deliberately tiny argument reader: <c>--name value</c>, <c>--name=value</c> and boolean <c>--flag</c>.
/// Unknown flags are errors, so a typo never silently falls back to a default.
/// </summary>
public sealed class CommandLine
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    private CommandLine()
    {
    }

    public bool Help { get; private set; }

    /// <param name="valueFlags">Flags that take a value (without "--").</param>
    /// <param name="boolFlags">Flags that are on when present.</param>
    public static CommandLine Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> valueFlags, IReadOnlyCollection<string> boolFlags)
    {
        var result = new CommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help" or "-?" or "help")
            {
                result.Help = true;
                continue;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"unexpected argument \"{arg}\"");
            }

            var eq = arg.IndexOf('=');
            var name = eq > 0 ? arg[2..eq] : arg[2..];
            if (valueFlags.Contains(name))
            {
                var value = eq > 0 ? arg[(eq + 1)..] : i + 1 < args.Count ? args[++i] : throw new UsageException($"--{name} needs a value");
                result._values[name] = value;
            }
            else if (boolFlags.Contains(name) && eq < 0)
            {
                result._values[name] = null;
            }
            else
            {
                throw new UsageException($"unknown flag \"--{name}\"");
            }
        }

        return result;
    }

    public string? Value(string name) => _values.TryGetValue(name, out var v) ? v : null;

    public bool Flag(string name) => _values.ContainsKey(name);
}

/// <summary>Bad command line: printed with a hint to --help, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
