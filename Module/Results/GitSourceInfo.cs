using System.Linq;
using GitOrch.Api.Model;

namespace GitOrch.Module.Results;

/// <summary>A GitSource: NAME URL REF READY STATUS COMMIT AGE.</summary>
public sealed class GitSourceInfo : ResourceInfo<GitSource>
{
    public GitSourceInfo(GitSource s)
        : base(s)
    {
        Url = s.Spec?.Url ?? "";
        var r = s.Spec?.Ref;
        Ref = r?.Branch != null ? "branch:" + r.Branch
            : r?.Tag != null ? "tag:" + r.Tag
            : r?.Semver != null ? "semver:" + r.Semver
            : r?.Commit != null ? "commit:" + r.Commit
            : "branch:main";
        Path = s.Spec?.Path;
        Interval = s.Spec?.Interval ?? "1m";
        Suspended = s.Spec?.Suspend == true;
        Prune = s.Spec?.Prune != false;
        PreviewsEnabled = s.Spec?.Previews?.Enabled == true;
        var ready = s.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        Ready = ready?.Status ?? ConditionStatus.Unknown;
        Reason = ready?.Reason;
        Message = ready?.Message;
        LastAppliedCommit = s.Status?.LastAppliedCommit;
        LastFetchedCommit = s.Status?.LastFetchedCommit;
        Objects = s.Status?.Inventory?.Count ?? 0;
        Warnings = s.Status?.Warnings?.ToArray() ?? System.Array.Empty<string>();
        DependsOn = s.Spec?.DependsOn?.Select(d => (d.Namespace ?? s.Namespace ?? "default") + "/" + d.Name).ToArray() ?? System.Array.Empty<string>();
        var gated = s.Spec?.Wait == true || s.Spec?.HealthChecks?.Count > 0;
        Health = !gated ? ""
            : Reason == "HealthCheckFailed" ? "Unhealthy"
            : Ready == ConditionStatus.True ? "Healthy"
            : Ready == ConditionStatus.Unknown && Reason == "Progressing" ? "Progressing"
            : "";
    }

    /// <summary>The sources this one waits for (spec.dependsOn), as namespace/name.</summary>
    public string[] DependsOn { get; }

    /// <summary>With spec.wait or spec.healthChecks: Healthy, Progressing or Unhealthy (Message names each object); otherwise empty.</summary>
    public string Health { get; }

    public string Url { get; }

    /// <summary>"branch:main", "tag:v1.2", "semver:>=1.0", "commit:3f2a9c1".</summary>
    public string Ref { get; }

    public string? Path { get; }

    public string Interval { get; }

    public bool Suspended { get; }

    public bool Prune { get; }

    public bool PreviewsEnabled { get; }

    /// <summary>The Ready condition: True, False or Unknown.</summary>
    public string Ready { get; }

    /// <summary>The Ready condition's reason (Succeeded, FetchFailed, ValidationFailed, ApplyFailed, ...).</summary>
    public string? Reason { get; }

    public string? Message { get; }

    public string? LastAppliedCommit { get; }

    public string? LastFetchedCommit { get; }

    public string ShortCommit => LastAppliedCommit == null ? "" : LastAppliedCommit.Length > 7 ? LastAppliedCommit.Substring(0, 7) : LastAppliedCommit;

    /// <summary>How many objects the source manages.</summary>
    public int Objects { get; }

    public string[] Warnings { get; }
}
