using System.Linq;
using System.Management.Automation;
using GitOrch.Api.Model;
using GitOrch.Module.Git;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Sources;

/// <summary>
/// Where a GitSource stands with its latest fetched commit, shared by Wait-GitOrchSource and Sync-GitOrchSource -Wait:
/// applied (Ready=True for that commit), refused for good (Ready=False while Stalled: an invalid manifest, whose
/// file:line errors the Ready condition's message lists, waits for a new commit, so waiting longer cannot help), or
/// still on its way (fetching, retrying, not observed yet).
/// </summary>
internal static class SourceReadiness
{
    /// <summary>The controller saw the latest spec and handled the last Sync-GitOrchSource request (gitorch.io/requestedAt).</summary>
    public static bool Observed(GitSource s)
        => (s.Status?.ObservedGeneration ?? 0) >= (s.Metadata.Generation ?? 0) && !SyncPending(s);

    /// <summary>A reconcile was asked for and has not run yet: the status still tells of the commit before it.</summary>
    public static bool SyncPending(GitSource s)
        => s.Metadata.Annotations != null && s.Metadata.Annotations.TryGetValue(SourceAnnotations.RequestedAt, out var requested)
           && !string.IsNullOrEmpty(requested) && requested != s.Status?.LastHandledRequestedAt;

    /// <summary>Ready=True and the last applied commit is the last fetched one.</summary>
    public static bool IsReady(GitSource s)
    {
        var ready = Condition(s, "Ready");
        return Observed(s) && ready?.Status == ConditionStatus.True && s.Status?.LastFetchedCommit != null
               && s.Status.LastAppliedCommit == s.Status.LastFetchedCommit;
    }

    /// <summary>Ready=False and Stalled=True: the controller will not try this commit again.</summary>
    public static bool IsRefused(GitSource s)
        => Observed(s) && Condition(s, "Ready")?.Status == ConditionStatus.False && Condition(s, "Stalled")?.Status == ConditionStatus.True;

    /// <summary>The progress text: "Ready False (FetchFailed): ...; commit 3f2a9c1".</summary>
    public static string Describe(GitSource s)
    {
        var ready = Condition(s, "Ready");
        var text = ready == null ? "no Ready condition yet" : $"Ready {ready.Status}" + (string.IsNullOrEmpty(ready.Reason) ? "" : $" ({ready.Reason})") + (string.IsNullOrEmpty(ready.Message) ? "" : ": " + FirstLine(ready.Message!));
        if (SyncPending(s))
        {
            text = "waiting for the source controller to fetch; " + text;
        }

        var fetched = s.Status?.LastFetchedCommit;
        return fetched == null ? text : $"{text}; fetched commit {Short(fetched)}";
    }

    /// <summary>SyncFailed naming the commit and the Ready condition's whole message (its file:line errors).</summary>
    public static ErrorRecord Failed(GitSource s)
    {
        var ready = Condition(s, "Ready");
        var commit = s.Status?.LastFetchedCommit;
        var what = commit == null ? "did not become ready" : $"refused commit {Short(commit)}";
        return GitOrchErrors.Create("SyncFailed", ErrorCategory.InvalidResult, new GitSourceInfo(s),
            $"GitSource {s.Namespace}/{s.Name} {what}: {ready?.Reason ?? "Unknown"}: {ready?.Message}");
    }

    private static Condition? Condition(GitSource s, string type) => s.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    private static string Short(string sha) => sha.Length > 7 ? sha.Substring(0, 7) : sha;

    private static string FirstLine(string text)
    {
        var i = text.IndexOf('\n');
        return i < 0 ? text : text.Substring(0, i).TrimEnd(':') + " ...";
    }
}
