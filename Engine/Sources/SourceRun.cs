using GitOrch.Api.Model;
using GitOrch.Engine.Sources.Fetch;
using GitOrch.Engine.Sources.Pipeline;
using GitOrch.Engine.Sources.Planning;

namespace GitOrch.Engine.Sources;

/// <summary>
/// Everything one reconcile of one GitSource learns on its way (read once at the start, filled in by the steps) and
/// what it will write at the end: the status changes, and the events recorded once they are written.
/// </summary>
internal sealed class SourceRun
{
    public SourceRun(GitSource source, SourceState state, SourceOptions options, DateTimeOffset started)
    {
        Source = source;
        State = state;
        Spec = source.Spec ?? new GitSourceSpec();
        Namespace = source.Metadata.Namespace ?? "default";
        Name = source.Name;
        Generation = source.Metadata.Generation ?? 0;
        Interval = GoDuration.Parse(Spec.Interval, options.DefaultInterval);
        Timeout = GoDuration.Parse(Spec.Timeout, options.DefaultTimeout);
        Requested = source.Metadata.Annotation(SourceLabels.RequestedAt);
        Status = source.Status ?? new GitSourceStatus();
        Started = started;
        Timer = new PhaseTimer(Namespace + "/" + Name);
    }

    public GitSource Source { get; }
    public SourceState State { get; }
    public GitSourceSpec Spec { get; }
    public string Namespace { get; }
    public string Name { get; }
    public long Generation { get; }
    public TimeSpan Interval { get; }
    public TimeSpan Timeout { get; }

    /// <summary>The "reconcile now" annotation's value at the start.</summary>
    public string? Requested { get; }

    /// <summary>Status as read at the start (the write at the end re-reads the object).</summary>
    public GitSourceStatus Status { get; }

    public DateTimeOffset Started { get; }
    public PhaseTimer Timer { get; }

    public GitCredential? Credential { get; set; }
    public FetchResult Fetched { get; set; } = null!;
    public DesiredState Desired { get; set; } = null!;
    public LiveView Live { get; set; } = null!;
    public Plan Plan { get; set; } = null!;

    /// <summary>The fetched commit is applied and nothing drifted: apply has nothing to do (health may still be checked).</summary>
    public bool UpToDate { get; set; }

    /// <summary>Whether the previews step runs after the main steps (it does after every fetched, loaded commit).</summary>
    public bool RunPreviews { get; set; }

    /// <summary>Status changes, applied in order in the one write at the end.</summary>
    public List<Action<GitSourceStatus>> Patches { get; } = new();

    /// <summary>Events and log lines to emit once the status is written.</summary>
    public List<Action> AfterWrite { get; } = new();

    public string ShortSha => Fetched.Commit[..7];

    /// <summary>Whether status already records this commit and generation as handled (the "reconcile now" request included).</summary>
    public bool StatusHandled => Status.LastAppliedCommit == Fetched.Commit && Status.ObservedGeneration == Generation && Requested == Status.LastHandledRequestedAt;
}
