using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using GitOrch.Api.Model;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Sources;

/// <summary>
/// Wait-GitOrchSource: waits until a GitSource is Ready for its latest fetched commit, showing its Ready condition as
/// progress; a commit the source refused (an invalid manifest) ends the wait at once with a SyncFailed error that
/// names the commit and the file:line errors. Takes Sync-GitOrchSource -PassThru's output.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "GitOrchSource", HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(GitSourceInfo), typeof(System.Management.Automation.Job))]
public sealed class WaitGitOrchSourceCommand : NamedObjectsCmdlet<GitSource>
{
    /// <summary>How long to wait for each source. Default: 2 minutes.</summary>
    [Parameter]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often to look. Default: 500 ms.</summary>
    [Parameter]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Output the source when it is ready.</summary>
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
        var (last, error) = await WaitUntilAsync($"Waiting for GitSource {obj.Namespace}/{obj.Name}", obj, (Timeout, PollInterval),
            s => Task.FromResult(Look(s)),
            s => Client.GetAsync<GitSource>(s.Namespace, s.Name, CancellationToken),
            (s, status) => GitOrchErrors.Create(GitOrchErrors.WaitTimeout, ErrorCategory.OperationTimeout, new GitSourceInfo(s),
                $"GitSource {s.Namespace}/{s.Name} was not ready within {Timeout.TotalSeconds:0} s (suspended: {s.Spec?.Suspend == true}): {status}."));
        if (error != null)
        {
            WriteError(error);
        }
        else if (PassThru)
        {
            WriteObject(new GitSourceInfo(last));
        }
    }

    private static WaitStep Look(GitSource s)
    {
        var status = SourceReadiness.Describe(s);
        if (SourceReadiness.IsReady(s))
        {
            return WaitStep.Finished(status);
        }

        return SourceReadiness.IsRefused(s) ? WaitStep.Failed(status, SourceReadiness.Failed(s)) : WaitStep.Waiting(status);
    }
}
