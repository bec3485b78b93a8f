using System.Collections;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Module;
using Xunit;

namespace GitOrch.Tests.Module;

/// <summary>Start-GitOrch / Stop-GitOrch with the real gitorch executable built next to the tests.</summary>
[Collection(ModuleCollection.Name)]
public sealed class LocalEngineCmdletTests : IDisposable
{
    private readonly PowerShellSession _ps = new();

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("GITORCH_EXE", null);
        _ps.Dispose();
    }

    [Fact]
    public async Task Start_GitOrch_runs_the_engine_in_the_background_connects_to_it_and_Stop_GitOrch_ends_it()
    {
        Environment.SetEnvironmentVariable("GITORCH_EXE", EngineExecutable());
        var data = Path.Combine(_ps.TempPath, "data");
        var listen = "127.0.0.1:" + FreePort();
        var vars = new Hashtable { ["data"] = data, ["listen"] = listen };
        Process? engine = null;
        try
        {
            var started = _ps.Run("Start-GitOrch -DataPath $data -Listen $listen -NoAgent -Timeout 00:01:00 -PassThru", vars).ThrowOnError().Output.Single();
            var pid = (int)started.Properties["ProcessId"].Value;
            engine = Process.GetProcessById(pid);
            Assert.Equal("https://" + listen, started.Properties["Server"].Value);
            Assert.True(File.Exists(Path.Combine(data, "admin.token")));

            // Connected: the saved context points at it and cmdlets work without further setup.
            var context = _ps.Run("Get-GitOrchContext").ThrowOnError().Output.Single();
            Assert.Equal("https://" + listen, context.Properties["Server"].Value);
            var run = _ps.Run("New-Deployment web -Image gitorch-test/busybox:latest -Direct; Get-Deployment").ThrowOnError();
            Assert.Equal("web", run.Output.Last().Properties["Name"].Value);

            _ps.Run("Stop-GitOrch -DataPath $data -WhatIf", vars).ThrowOnError();
            Assert.False(engine.HasExited);

            _ps.Run("Stop-GitOrch -DataPath $data -Timeout 00:00:20", vars).ThrowOnError();
            Assert.True(engine.WaitForExit(20_000));
            Assert.False(File.Exists(Path.Combine(data, "gitorch.pid")));
        }
        finally
        {
            if (engine != null && !engine.HasExited)
            {
                engine.Kill();
            }

            engine?.Dispose();
        }

        await Task.CompletedTask;
    }

    /// <summary>The engine apphost of the same configuration as the tests (Engine/bin/&lt;config&gt;/net10.0/gitorch).</summary>
    private static string EngineExecutable()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var dir = Path.Combine(PowerShellSession.RepoRoot, "Engine", "bin", configuration, "net10.0");
        var exe = Path.Combine(dir, OperatingSystem.IsWindows() ? "gitorch.exe" : "gitorch");
        return File.Exists(exe) ? exe : Path.Combine(dir, "gitorch.dll");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
