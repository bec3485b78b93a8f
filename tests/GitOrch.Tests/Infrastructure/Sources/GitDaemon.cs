using System.Diagnostics;

namespace GitOrch.Tests.Infrastructure.Sources;

/// <summary>A real <c>git daemon</c> serving a folder over git:// on loopback; can be stopped and restarted on the same port.</summary>
public sealed class GitDaemon : IAsyncDisposable
{
    private readonly string _basePath;
    private Process? _process;

    private GitDaemon(string basePath, int port)
    {
        _basePath = basePath;
        Port = port;
    }

    public int Port { get; }

    public string UrlOf(string repoFolder) => $"git://127.0.0.1:{Port}/{repoFolder}";

    public static async Task<GitDaemon> StartAsync(string basePath)
    {
        var d = new GitDaemon(basePath, FreePort.Pick());
        await d.StartAsync();
        return d;
    }

    public async Task StartAsync()
    {
        var psi = new ProcessStartInfo("git") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "daemon", "--reuseaddr", "--export-all", "--enable=receive-pack", $"--base-path={_basePath}", "--listen=127.0.0.1", $"--port={Port}", _basePath })
        {
            psi.ArgumentList.Add(a);
        }

        _process = Process.Start(psi)!;
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        await FreePort.WaitListeningAsync(Port, TimeSpan.FromSeconds(10));
    }

    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
        _process = null;
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }
}
