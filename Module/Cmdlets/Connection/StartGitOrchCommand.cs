using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Net.Http;
using System.Threading.Tasks;
using GitOrch.Api.Client;
using GitOrch.Module.Connection;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Connection;

/// <summary>
/// Start-GitOrch: runs the local all-in-one engine (<c>gitorch server</c>, with an agent unless -NoAgent) in the
/// background, waits until /readyz answers and connects this user to it.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "GitOrch", SupportsShouldProcess = true, HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(EngineProcessInfo))]
public sealed class StartGitOrchCommand : GitOrchCmdlet
{
    /// <summary>Data directory (database, tokens, log). Default: ~/.gitorch.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? DataPath { get; set; }

    /// <summary>HOST:PORT of the HTTP API. Default: 127.0.0.1:6443.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Listen { get; set; } = "127.0.0.1:6443";

    /// <summary>Run only the control plane; nodes join with separate agents.</summary>
    [Parameter]
    public SwitchParameter NoAgent { get; set; }

    /// <summary>How long to wait for the engine to become ready. Default: 60 seconds.</summary>
    [Parameter]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessRecordAsync()
    {
        var dataPath = DataPath == null ? ContextResolver.DefaultDataPath : GetUnresolvedProviderPathFromPSPath(DataPath);
        var moduleDir = Path.GetDirectoryName(typeof(StartGitOrchCommand).Assembly.Location) ?? ".";
        var exe = EngineProcess.FindExecutable(moduleDir)
            ?? throw Terminate(GitOrchErrors.Create(GitOrchErrors.ExecutableNotFound, ErrorCategory.ObjectNotFound, "gitorch",
                "Cannot find the gitorch executable: set GITORCH_EXE to its path, put it next to the module, or add it to PATH."));

        var args = new System.Collections.Generic.List<string> { "server", "--data-dir", dataPath, "--listen", Listen };
        if (!NoAgent)
        {
            args.Add("--with-agent");
        }

        if (!ShouldProcess($"{exe} {string.Join(" ", args)}", "Start GitOrch engine"))
        {
            return;
        }

        Directory.CreateDirectory(dataPath);
        var logFile = Path.Combine(dataPath, EngineProcess.LogFileName);
        var server = EngineProcess.ServerUrl(Listen);
        ErrorTarget = server;
        using var process = EngineProcess.Launch(exe, args, logFile);
        File.WriteAllText(Path.Combine(dataPath, EngineProcess.PidFileName), process.Id.ToString(CultureInfo.InvariantCulture));

        var caFile = Path.Combine(dataPath, Api.Client.LocalEngine.CaFile);
        await WaitReadyAsync(process, server, caFile, logFile);

        ContextFile.Save(new SavedContext { Server = server, TokenFile = Path.Combine(dataPath, "admin.token"), CertificateAuthority = caFile });
        WriteVerbose($"GitOrch engine {process.Id} is ready at {server}; log: {logFile}");
        if (PassThru)
        {
            WriteObject(new EngineProcessInfo(process.Id, server, dataPath, logFile, !NoAgent));
        }
    }

    private async Task WaitReadyAsync(Process process, string server, string caFile, string logFile)
    {
        var watch = Stopwatch.StartNew();
        GitOrchClient? probe = null;
        try
        {
            await WaitReadyAsync(process, server, caFile, logFile, watch, () => probe ??= ProbeClient(server, caFile));
        }
        finally
        {
            probe?.Dispose();
        }
    }

    /// <summary>The readiness probe trusts the engine's CA, which the engine writes at start: null until ca.crt exists.</summary>
    private static GitOrchClient? ProbeClient(string server, string caFile)
        => File.Exists(caFile) ? new GitOrchClient(new Uri(server), "", Api.Client.Tls.EngineCa.FromPemFile(caFile)) { RequestTimeout = TimeSpan.FromSeconds(2) } : null;

    private async Task WaitReadyAsync(Process process, string server, string caFile, string logFile, Stopwatch watch, Func<GitOrchClient?> probeClient)
    {
        const int activity = 1;
        while (true)
        {
            WriteProgressRecord(new ProgressRecord(activity, "Starting GitOrch engine", $"waiting for {server}/readyz ({watch.Elapsed.TotalSeconds:0}s)"));
            if (process.HasExited)
            {
                throw Terminate(GitOrchErrors.Create(GitOrchErrors.EngineStartFailed, ErrorCategory.InvalidResult, server,
                    $"The engine exited with code {process.ExitCode} before it was ready. Last lines of {logFile}:{Environment.NewLine}{EngineProcess.ReadLogTail(logFile)}"));
            }

            try
            {
                var probe = probeClient() ?? throw new HttpRequestException($"no {caFile} yet");
                var answer = await probe.SendAsync(HttpMethod.Get, "/readyz", cancellationToken: CancellationToken);
                if (answer.Trim() == "ok")
                {
                    CompleteProgress(activity);
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or GitOrchApiException or IOException || (e is OperationCanceledException && !CancellationToken.IsCancellationRequested))
            {
                // Not listening yet (or still opening the store): try again until the deadline.
            }

            if (watch.Elapsed > Timeout)
            {
                throw Terminate(GitOrchErrors.Create(GitOrchErrors.WaitTimeout, ErrorCategory.OperationTimeout, server,
                    $"The engine (pid {process.Id}) was not ready at {server} after {Timeout.TotalSeconds:0} s. Last lines of {logFile}:{Environment.NewLine}{EngineProcess.ReadLogTail(logFile)}"));
            }

            await Task.Delay(200, CancellationToken);
        }
    }
}
