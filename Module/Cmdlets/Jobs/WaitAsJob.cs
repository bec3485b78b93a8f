using System.Collections;
using System.Linq;
using System.Management.Automation;
using GitOrch.Module.Infrastructure;

namespace GitOrch.Module.Cmdlets.Jobs;

/// <summary>
/// -AsJob for the long waits (Wait-Deployment, Wait-GitOrchSource, Sync-GitOrchSource -Wait): the same cmdlet with the
/// same parameters runs in a thread job (Start-ThreadJob, which ships with pwsh 7), so the caller gets a standard
/// PowerShell job at once: Get-Job lists it, Receive-Job -Wait returns its output and errors. The job's runspace
/// imports this module from the same path and resolves the same context (GITORCH_* environment, config file).
/// </summary>
internal static class WaitAsJob
{
    private const string Script = @"
param($Module, $Command, $Parameters)
$job = {
    param($Module, $Command, $Parameters)
    Import-Module $Module
    & $Command @Parameters
}
Start-ThreadJob -Name $Command -ScriptBlock $job -ArgumentList $Module, $Command, $Parameters
";

    /// <summary>Starts the job for the current record's names and writes it; the caller does nothing else for this record.</summary>
    public static void Start(PSCmdlet cmdlet, string[] names, string ns)
    {
        var parameters = new Hashtable();
        foreach (var kv in cmdlet.MyInvocation.BoundParameters.Where(kv => kv.Key != "AsJob"))
        {
            parameters[kv.Key] = kv.Value;
        }

        parameters["Name"] = names;
        parameters["Namespace"] = ns;
        var module = cmdlet.MyInvocation.MyCommand.Module?.Path ?? typeof(WaitAsJob).Assembly.Location;
        var name = cmdlet.MyInvocation.MyCommand.Name;
        if (cmdlet.InvokeCommand.GetCommand("Start-ThreadJob", CommandTypes.Cmdlet | CommandTypes.Function | CommandTypes.Alias) == null)
        {
            cmdlet.ThrowTerminatingError(GitOrchErrors.Create("ThreadJobUnavailable", ErrorCategory.NotInstalled, name,
                $"{name} -AsJob needs Start-ThreadJob (the ThreadJob module that ships with PowerShell 7)."));
        }

        foreach (var job in cmdlet.InvokeCommand.InvokeScript(false, ScriptBlock.Create(Script), null, module, name, parameters))
        {
            cmdlet.WriteObject(job);
        }
    }
}
