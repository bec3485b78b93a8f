using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Threading.Tasks;
using GitOrch.Api.Model;
using GitOrch.Module.Git;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Sources;

/// <summary>
/// Sync-GitOrchSource: asks for a reconcile now (annotation gitorch.io/requestedAt). With -Wait it returns when the
/// source controller has handled that request (status.lastHandledRequestedAt), showing the source's Ready condition as
/// progress, and reports a failed reconcile as a SyncFailed error naming the refused commit and its file:line errors.
/// -PassThru outputs the source at once, for <c>Sync-GitOrchSource -PassThru | Wait-GitOrchSource</c>.
/// </summary>
[Cmdlet(VerbsData.Sync, "GitOrchSource", SupportsShouldProcess = true, HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(GitSourceInfo), typeof(System.Management.Automation.Job))]
public sealed class SyncGitOrchSourceCommand : NamedObjectsCmdlet<GitSource>
{
    /// <summary>Wait until the reconcile ran; outputs the source afterwards.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>How long -Wait waits. Default: 2 minutes.</summary>
    [Parameter]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Output the source right after asking (with -Wait it is output anyway, after the reconcile); pipe it into Wait-GitOrchSource.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Run the wait as a PowerShell thread job and output the job at once (Get-Job, Receive-Job -Wait).</summary>
    [Parameter]
    public SwitchParameter AsJob { get; set; }

    protected override Task ProcessRecordAsync()
    {
        if (!AsJob)
        {
            return base.ProcessRecordAsync();
        }

        Jobs.WaitAsJob.Start(this, Name, ResolvedNamespace);
        return Task.CompletedTask;
    }

    protected override async Task ProcessObjectAsync(GitSource obj)
    {
        if (!ShouldProcess(Describe(obj), "Reconcile now"))
        {
            return;
        }

        var requestedAt = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        var patch = "{\"metadata\":{\"annotations\":{" + JsonSerializer.Serialize(SourceAnnotations.RequestedAt) + ":" + JsonSerializer.Serialize(requestedAt) + "}}}";
        var current = await Client.PatchAsync<GitSource>(obj.Namespace, obj.Name, patch, CancellationToken);
        if (Wait)
        {
            current = await WaitHandledAsync(current, requestedAt);
            if (new GitSourceInfo(current).Ready == ConditionStatus.False)
            {
                WriteError(SourceReadiness.Failed(current));
            }
        }

        if (PassThru || Wait)
        {
            WriteObject(new GitSourceInfo(current));
        }
    }

    /// <summary>Waits until the source controller handled this request (whatever the outcome), showing its progress.</summary>
    private async Task<GitSource> WaitHandledAsync(GitSource source, string requestedAt)
    {
        var (last, error) = await WaitUntilAsync($"Syncing GitSource {source.Namespace}/{source.Name}", source, (Timeout, TimeSpan.FromMilliseconds(250)),
            s => Task.FromResult(Look(s, requestedAt)),
            s => Client.GetAsync<GitSource>(s.Namespace, s.Name, CancellationToken),
            (s, _) => GitOrchErrors.Create(GitOrchErrors.WaitTimeout, ErrorCategory.OperationTimeout, s.Name,
                $"GitSource {s.Namespace}/{s.Name} did not reconcile within {Timeout.TotalSeconds:0} s (suspended: {s.Spec?.Suspend == true})."));
        if (error != null)
        {
            throw Terminate(error);
        }

        return last;
    }

    private static WaitStep Look(GitSource s, string requestedAt)
    {
        var reconciling = s.Status?.Conditions?.FirstOrDefault(c => c.Type == "Reconciling" && c.Status == ConditionStatus.True)?.Message;
        var status = (reconciling == null ? "waiting for the source controller" : "reconciling: " + reconciling) + "; " + SourceReadiness.Describe(s);
        return s.Status?.LastHandledRequestedAt == requestedAt ? WaitStep.Finished(status) : WaitStep.Waiting(status);
    }
}
