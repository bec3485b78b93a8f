namespace GitOrch.Tests.Infrastructure.Kubectl;

/// <summary>What one kubectl run printed, and how it ended.</summary>
public sealed record KubectlResult(string Command, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Fails naming the command and what kubectl said unless it exited 0.</summary>
    public KubectlResult ThrowOnError()
        => ExitCode == 0 ? this : throw new Xunit.Sdk.XunitException($"`{Command}` exited {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}");
}
