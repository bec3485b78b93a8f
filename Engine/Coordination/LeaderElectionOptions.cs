using System.ComponentModel.DataAnnotations;

namespace GitOrch.Engine.Coordination;

/// <summary>
/// client-go's leader election settings with faster defaults (client-go: 15 s / 10 s / 2 s). Safety needs
/// <see cref="RenewDeadline"/> &lt; <see cref="LeaseDuration"/>: a leader that could not renew for RenewDeadline stops
/// its controllers, and no candidate takes the lease before LeaseDuration has passed since it last saw a renewal.
/// </summary>
public sealed class LeaderElectionOptions
{
    /// <summary>How long candidates wait after the last renewal they saw before taking the lease (default 6 s; <c>--lease-duration</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>How long the leader keeps its controllers running without a successful renewal (default 2 s; <c>--renew-deadline</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the leader renews and candidates try (default 1 s; <c>--retry-period</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The Lease object: <c>gitorch-system/gitorch-controllers</c>.</summary>
    [Required]
    public string LeaseNamespace { get; set; } = "gitorch-system";

    [Required]
    public string LeaseName { get; set; } = "gitorch-controllers";

    /// <summary>This Engine's name in the lease (default: host name and a per-process suffix).</summary>
    [Required]
    public string Identity { get; set; } = Environment.MachineName + "_" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The settings' own consistency, checked at start with the flag names.</summary>
    public void ThrowIfInconsistent()
    {
        if (RenewDeadline >= LeaseDuration)
        {
            throw new ArgumentException($"--renew-deadline ({RenewDeadline.TotalSeconds:0.###} s) must be shorter than --lease-duration ({LeaseDuration.TotalSeconds:0.###} s), or two Engines could run controllers at once");
        }

        if (RetryPeriod >= RenewDeadline)
        {
            throw new ArgumentException($"--retry-period ({RetryPeriod.TotalSeconds:0.###} s) must be shorter than --renew-deadline ({RenewDeadline.TotalSeconds:0.###} s), or the leader gets no second try to renew");
        }
    }
}
