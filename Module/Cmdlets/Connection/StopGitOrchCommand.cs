using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Threading.Tasks;
using GitOrch.Module.Connection;
using GitOrch.Module.Infrastructure;

namespace GitOrch.Module.Cmdlets.Connection;

/// <summary>Stop-GitOrch: stops the engine Start-GitOrch started for a data directory (clean shutdown, then kill after -Timeout).</summary>
[Cmdlet(VerbsLifecycle.Stop, "GitOrch", SupportsShouldProcess = true, HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(int))]
public sealed class StopGitOrchCommand : GitOrchCmdlet
{
    /// <summary>Data directory of the engine to stop (where Start-GitOrch wrote gitorch.pid). Default: ~/.gitorch.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? DataPath { get; set; }

    /// <summary>How long a clean shutdown may take before the process is killed. Default: 30 seconds.</summary>
    [Parameter]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Output the stopped process id.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessRecordAsync()
    {
        var dataPath = DataPath == null ? ContextResolver.DefaultDataPath : GetUnresolvedProviderPathFromPSPath(DataPath);
        var pidFile = Path.Combine(dataPath, EngineProcess.PidFileName);
        Process? process = null;
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
        {
            try
            {
                process = Process.GetProcessById(pid);
            }
            catch (ArgumentException)
            {
                process = null; // Already gone.
            }
        }

        if (process == null)
        {
            if (File.Exists(pidFile))
            {
                File.Delete(pidFile);
            }

            throw Terminate(GitOrchErrors.Create(GitOrchErrors.EngineNotRunning, ErrorCategory.ObjectNotFound, dataPath, $"No GitOrch engine started by Start-GitOrch is running for {dataPath}."));
        }

        using (process)
        {
            if (!ShouldProcess($"GitOrch engine (pid {process.Id}, {dataPath})", "Stop"))
            {
                return;
            }

            EngineProcess.RequestStop(process);
            var deadline = DateTime.UtcNow + Timeout;
            while (!process.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, CancellationToken);
            }

            if (!process.HasExited)
            {
                WriteWarning($"The engine did not stop within {Timeout.TotalSeconds:0} s; killing it.");
                process.Kill();
                process.WaitForExit(5000);
            }

            File.Delete(pidFile);
            if (PassThru)
            {
                WriteObject(process.Id);
            }
        }
    }
}
