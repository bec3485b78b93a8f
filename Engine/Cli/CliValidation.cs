using System.CommandLine;
using System.CommandLine.Parsing;

namespace GitOrch.Engine.Cli;

/// <summary>Validators for <c>gitorch</c> flags: a bad value is a parse error naming the flag (exit code 2).</summary>
public static class CliValidation
{
    /// <summary>Adds a check that returns what is wrong with the value (the flag's name is prefixed), or null.</summary>
    public static Option<T> Check<T>(this Option<T> option, Func<T, string?> check)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<T>() is { } value && check(value) is { } error)
            {
                result.AddError($"{option.Name}: {error}");
            }
        });
        return option;
    }

    public static Option<int> NonNegative(this Option<int> option) => option.Check(n => n >= 0 ? null : $"must be a non-negative number (got {n})");

    /// <summary>A check that reports the <see cref="FormatException"/> of <paramref name="parse"/> (its message names the flag).</summary>
    public static Option<string> Parses(this Option<string> option, Action<string> parse)
    {
        option.Validators.Add(result =>
        {
            try
            {
                parse(result.GetValueOrDefault<string>());
            }
            catch (FormatException e)
            {
                result.AddError(e.Message);
            }
        });
        return option;
    }

    public static Option<string> AbsoluteUrl(this Option<string> option)
        => option.Check(v => Uri.TryCreate(v, UriKind.Absolute, out _) ? null : $"\"{v}\" is not an absolute URL");
}
