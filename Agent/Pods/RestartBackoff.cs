using GitOrch.Api.Retry;

namespace GitOrch.Agent.Pods;

/// <summary>
/// Kubernetes' crash back-off, as a pure function of the back-off step: the first restart is immediate, then
/// 10 s doubling up to 5 min. A container that ran for 10 minutes starts the sequence again.
/// </summary>
public static class RestartBackoff
{
    public static readonly TimeSpan Initial = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Max = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan ResetAfter = TimeSpan.FromMinutes(10);

    /// <summary>The step of the next instance, given the step of the one that exited and how long it ran.</summary>
    public static int NextStep(int previousStep, TimeSpan ranFor) => ranFor >= ResetAfter ? 1 : previousStep + 1;

    /// <summary>10 s doubling up to <see cref="Max"/>: the delays from the second restart on, and of image pull retries.</summary>
    public static readonly Backoff Sequence = new() { Initial = RestartBackoff.Initial, Factor = 2, Cap = RestartBackoff.Max };

    /// <summary>How long to wait after the exit before starting the instance of <paramref name="step"/> (1 = first restart, immediate).</summary>
    public static TimeSpan Delay(int step) => Sequence.Delay(step - 1);

    public static bool ShouldRestart(string? restartPolicy, long exitCode) => restartPolicy switch
    {
        "Never" => false,
        "OnFailure" => exitCode != 0,
        _ => true,
    };
}
