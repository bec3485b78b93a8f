using GitOrch.Engine.Cli;

namespace GitOrch.Engine;

/// <summary>The <c>gitorch</c> executable: one sub-command per role (see <see cref="GitOrchCommand"/>).</summary>
public static class Program
{
    public static Task<int> Main(string[] args) => GitOrchCommand.InvokeAsync(args);
}
