using GitOrch.Engine.Sources.Planning;

namespace GitOrch.Engine.Sources;

/// <summary>
/// What the controller remembers about a source between reconciles (never authoritative: after a restart
/// it is rebuilt from status and the store). It is what makes an unchanged commit a fast no-op. The work queue
/// never hands one source to two workers at once, so no lock guards it.
/// </summary>
internal sealed class SourceState
{
    /// <summary>The loaded and validated desired state of the last good commit.</summary>
    public DesiredState? Desired { get; set; }

    public long DesiredGeneration { get; set; }

    /// <summary>Revisions of managed objects right after the last apply (or last check).</summary>
    public Dictionary<string, long> KnownRevisions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A commit that failed validation: not re-validated until the commit or the spec changes.</summary>
    public string? FailedCommit { get; set; }

    public long FailedGeneration { get; set; }

    /// <summary>Store revision when the source was last found fully in sync (commit applied, nothing drifted).</summary>
    public long InSyncAtRevision { get; set; } = -1;

    public string? InSyncCommit { get; set; }

    /// <summary>The commit and generation whose health is being checked, and since when (the health timeout's start).</summary>
    public (string? Commit, long Generation, DateTimeOffset Since) Health { get; set; }

    /// <summary>Parsed files by blob, so a one-file commit parses one file.</summary>
    public Loading.ManifestCache Files { get; } = new();
}
