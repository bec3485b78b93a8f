using System;
using System.Management.Automation;
using System.Threading.Tasks;
using GitOrch.Api.Model;

namespace GitOrch.Module.Infrastructure;

/// <summary>
/// Base of the Wait-* cmdlets: -Timeout, -PollInterval, -PassThru and -AsJob mean the same on each, and -AsJob hands
/// the whole wait to a thread job (Get-Job, Receive-Job -Wait) instead of blocking the pipeline.
/// </summary>
public abstract class WaitCmdlet<T> : NamedObjectsCmdlet<T>
    where T : KubeObject
{
    protected WaitCmdlet(TimeSpan defaultTimeout) => Timeout = defaultTimeout;

    /// <summary>How long to wait for each object. Default: 5 minutes for a Deployment, 2 minutes for a GitSource.</summary>
    [Parameter]
    public TimeSpan Timeout { get; set; }

    /// <summary>How often to look. Default: 500 ms.</summary>
    [Parameter]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Output the object once the wait succeeded.</summary>
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

        Cmdlets.Jobs.WaitAsJob.Start(this, Name, ResolvedNamespace);
        return Task.CompletedTask;
    }
}
