using System.Collections;
using System.Net;
using System.Net.Sockets;
using System.Management.Automation;
using GitOrch.Tests.Infrastructure.Module;
using Xunit;

namespace GitOrch.Tests.Module;

/// <summary>Connect-/Get-/Disconnect-GitOrch and the local engine cmdlets' failures, without an engine.</summary>
[Collection(ModuleCollection.Name)]
public sealed class ConnectionTests : IDisposable
{
    private readonly PowerShellSession _ps = new();

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("GITORCH_SERVER", null);
        Environment.SetEnvironmentVariable("GITORCH_TOKEN", null);
        Environment.SetEnvironmentVariable("GITORCH_EXE", null);
        _ps.Dispose();
    }

    [Fact]
    public void With_nothing_configured_the_context_is_the_local_engine_and_its_admin_token()
    {
        var context = _ps.Run("Get-GitOrchContext").ThrowOnError().Output.Single();
        Assert.Equal("https://127.0.0.1:6443", context.Properties["Server"].Value);
        Assert.Equal("Default", context.Properties["Origin"].Value);
        Assert.Equal("default", context.Properties["Namespace"].Value);
        Assert.EndsWith(Path.Combine(".gitorch", "admin.token"), (string)context.Properties["TokenSource"].Value);
    }

    [Fact]
    public void Connect_saves_a_private_config_and_environment_variables_override_it()
    {
        _ps.Run("Connect-GitOrch -Server http://127.0.0.9:7000 -Token secret-token -Namespace shop -Force").ThrowOnError();

        Assert.True(File.Exists(_ps.ConfigPath));
        Assert.Contains("secret-token", File.ReadAllText(_ps.ConfigPath));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_ps.ConfigPath));
        }

        var saved = _ps.Run("Get-GitOrchContext").ThrowOnError().Output.Single();
        Assert.Equal("http://127.0.0.9:7000", saved.Properties["Server"].Value);
        Assert.Equal("Config", saved.Properties["Origin"].Value);
        Assert.Equal("shop", saved.Properties["Namespace"].Value);
        Assert.Equal("config", saved.Properties["TokenSource"].Value);
        Assert.DoesNotContain(saved.Properties, p => p.Value as string == "secret-token"); // the token is never output

        Environment.SetEnvironmentVariable("GITORCH_SERVER", "http://127.0.0.10:7001");
        Environment.SetEnvironmentVariable("GITORCH_TOKEN", "env-token");
        var env = _ps.Run("Get-GitOrchContext").ThrowOnError().Output.Single();
        Assert.Equal("http://127.0.0.10:7001", env.Properties["Server"].Value);
        Assert.Equal("Environment", env.Properties["Origin"].Value);
        Assert.Equal("GITORCH_TOKEN", env.Properties["TokenSource"].Value);
    }

    [Fact]
    public void Connect_and_Disconnect_with_WhatIf_change_nothing()
    {
        _ps.Run("Connect-GitOrch -Server http://127.0.0.9:7000 -Token t -Force -WhatIf").ThrowOnError();
        Assert.False(File.Exists(_ps.ConfigPath));

        _ps.Run("Connect-GitOrch -Server http://127.0.0.9:7000 -Token t -Force").ThrowOnError();
        _ps.Run("Disconnect-GitOrch -WhatIf").ThrowOnError();
        Assert.True(File.Exists(_ps.ConfigPath));

        _ps.Run("Disconnect-GitOrch").ThrowOnError();
        Assert.False(File.Exists(_ps.ConfigPath));
        Assert.Equal("Default", _ps.Run("Get-GitOrchContext").ThrowOnError().Output.Single().Properties["Origin"].Value);
    }

    [Fact]
    public void Connect_to_a_server_that_does_not_answer_fails_with_ServerUnreachable_and_saves_nothing()
    {
        var url = ClosedLoopbackUrl();
        var result = _ps.Run("Connect-GitOrch -Server $url -Token t", new Hashtable { ["url"] = url });

        var error = Assert.Single(result.AllErrors);
        Assert.Equal("ServerUnreachable,GitOrch.Module.Cmdlets.Connection.ConnectGitOrchCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.False(File.Exists(_ps.ConfigPath));
    }

    [Fact]
    public void Cmdlets_against_an_unreachable_engine_fail_with_ServerUnreachable_naming_the_server()
    {
        var url = ClosedLoopbackUrl();
        _ps.UseEngine(new Uri(url), "t", Path.Combine(_ps.TempPath, "unused-ca.crt")); // plain http: no CA is read

        var result = _ps.Run("Get-Pod");

        var error = Assert.Single(result.AllErrors);
        Assert.Equal("ServerUnreachable,GitOrch.Module.Cmdlets.Pods.GetPodCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.Contains(url, error.Exception.Message);
    }

    [Fact]
    public void Start_GitOrch_without_an_executable_fails_with_a_stable_id_and_WhatIf_starts_nothing()
    {
        Environment.SetEnvironmentVariable("GITORCH_EXE", Path.Combine(_ps.TempPath, "no-such-gitorch"));
        var missing = _ps.Run("Start-GitOrch -DataPath $d", new Hashtable { ["d"] = Path.Combine(_ps.TempPath, "data") });
        var error = Assert.Single(missing.AllErrors);
        Assert.Equal("GitOrchExecutableNotFound,GitOrch.Module.Cmdlets.Connection.StartGitOrchCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);

        var fake = Path.Combine(_ps.TempPath, "gitorch");
        File.WriteAllText(fake, "#!/bin/sh\nexit 3\n");
        Environment.SetEnvironmentVariable("GITORCH_EXE", fake);
        var data = Path.Combine(_ps.TempPath, "data");
        _ps.Run("Start-GitOrch -DataPath $d -WhatIf", new Hashtable { ["d"] = data }).ThrowOnError();
        Assert.False(Directory.Exists(data));
        Assert.False(File.Exists(_ps.ConfigPath));
    }

    [Fact]
    public void Stop_GitOrch_with_no_engine_running_is_EngineNotRunning()
    {
        var result = _ps.Run("Stop-GitOrch -DataPath $d", new Hashtable { ["d"] = _ps.TempPath });
        var error = Assert.Single(result.AllErrors);
        Assert.Equal("EngineNotRunning,GitOrch.Module.Cmdlets.Connection.StopGitOrchCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
    }

    /// <summary>A loopback URL where nothing listens: a port the OS just handed out and we closed again.</summary>
    private static string ClosedLoopbackUrl()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return "http://127.0.0.1:" + port;
    }
}
