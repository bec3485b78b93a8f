namespace GitOrch.Engine.Controllers.Jobs;

public sealed class JobOptions
{
    /// <summary>Delay before the first retry after a Pod fails; doubles per failure. Default 10 s, as Kubernetes.</summary>
    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Cap of the retry delay. Default 6 minutes, as Kubernetes.</summary>
    public TimeSpan BackoffCap { get; set; } = TimeSpan.FromMinutes(6);

    /// <summary>spec.backoffLimit when the Job leaves it out. Default 6, as Kubernetes.</summary>
    public int DefaultBackoffLimit { get; set; } = 6;

    /// <summary>The exponential delay before the next Pod after <paramref name="failures"/> failures (none for zero).</summary>
    public TimeSpan Backoff(int failures)
        => new GitOrch.Api.Retry.Backoff { Initial = BackoffBase, Factor = 2, Cap = BackoffCap }.Delay(failures);
}
