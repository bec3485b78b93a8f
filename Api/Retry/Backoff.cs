using System;

namespace GitOrch.Api.Retry;

/// <summary>
/// Exponential backoff as a pure function of the attempt number, the one backoff type every retry in GitOrch uses
/// (work queue, scheduler, sources, jobs, image pulls, container restarts, conflict retries), after client-go's
/// <c>wait.Backoff</c>: <c>Delay(1) = Initial</c>, each further step multiplies by <see cref="Factor"/>, capped at
/// <see cref="Cap"/>; <see cref="Jitter"/> adds up to that fraction on top so retries of many keys spread out.
/// </summary>
public sealed record Backoff
{
    /// <summary>Delay of the first retry.</summary>
    public TimeSpan Initial { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Multiplier per step. Default 2.</summary>
    public double Factor { get; init; } = 2;

    /// <summary>Largest delay a step may reach (before jitter).</summary>
    public TimeSpan Cap { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Fraction of random extra delay, 0 (none) to 1. Default 0: deterministic.</summary>
    public double Jitter { get; init; }

    /// <summary>client-go's <c>retry.DefaultRetry</c>: 10 ms, x1 (flat), 0.1 jitter, for conflict retries.</summary>
    public static Backoff DefaultRetry { get; } = new() { Initial = TimeSpan.FromMilliseconds(10), Factor = 1, Jitter = 0.1, Cap = TimeSpan.FromMilliseconds(10) };

    /// <summary>The delay before attempt <paramref name="step"/> + 1, where step 1 is the first retry. Step 0 or less: zero.</summary>
    public TimeSpan Delay(int step, Random? random = null)
    {
        if (step <= 0)
        {
            return TimeSpan.Zero;
        }

        var ticks = Initial.Ticks * Math.Pow(Factor, Math.Min(step - 1, 62));
        var capped = double.IsInfinity(ticks) || ticks >= Cap.Ticks ? Cap.Ticks : ticks;
        if (Jitter > 0)
        {
            capped += capped * Jitter * (random ?? SharedRandom).NextDouble();
        }

        return TimeSpan.FromTicks((long)Math.Max(0, capped));
    }

    // netstandard2.0 has no Random.Shared; Random is not thread-safe, so one per thread.
    [ThreadStatic]
    private static Random? t_random;

    private static Random SharedRandom => t_random ??= new Random(Guid.NewGuid().GetHashCode());
}
