using System;
using System.Management.Automation;
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
public sealed class WaitGitOrchSourceCommand : WaitCmdlet<GitSource>
{
    public WaitGitOrchSourceCommand()
        : base(TimeSpan.FromMinutes(2))
    {
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
