using System.Diagnostics;
using GitOrch.Tests.Infrastructure;
using Xunit;

namespace GitOrch.Tests.Engine.Cli;

/// <summary>The real <c>gitorch</c> executable: help texts, and a server that prints its address and stops cleanly on SIGTERM.</summary>
public sealed class CommandLineTests
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "gitorch.dll");

    [Fact]
    public async Task Help_explains_commands_and_every_server_flag()
    {
        var (code, top) = await RunToEndAsync("--help");
        Assert.Equal(0, code);
        Assert.Contains("server", top, StringComparison.Ordinal);

        var (serverCode, server) = await RunToEndAsync("server", "--help");
        Assert.Equal(0, serverCode);
        foreach (var flag in new[] { "--data-dir", "--listen", "--with-agent", "--log-level", "127.0.0.1:6443", ".gitorch" })
        {
            Assert.Contains(flag, server, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Unknown_command_or_flag_exits_2()
    {
        Assert.Equal(2, (await RunToEndAsync("frobnicate")).Code);
        Assert.Equal(2, (await RunToEndAsync("server", "--no-such-flag")).Code);
        Assert.Equal(2, (await RunToEndAsync("server", "--listen", "nonsense")).Code);
    }

    [Fact]
    public async Task Server_prints_its_real_address_and_stops_cleanly_on_sigterm()
    {
        using var dir = new TempDirectory();
        using var process = Start("server", "--data-dir", dir.Path, "--listen", "127.0.0.1:0");
        try
        {
            var line = await ReadLineUntilAsync(process, l => l.Contains("listening on https://", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            var url = line[line.IndexOf("https://", StringComparison.Ordinal)..].Trim();
            Assert.DoesNotContain(":0", url[8..], StringComparison.Ordinal);
            using var http = new HttpClient(new GitOrch.Api.Client.Tls.EngineTlsHandler(GitOrch.Api.Client.Tls.EngineCa.FromPemFile(Path.Combine(dir.Path, "ca.crt"))));
            Assert.Equal("ok", await http.GetStringAsync(url + "/healthz"));
            Assert.True(File.Exists(Path.Combine(dir.Path, "admin.token")));
            Assert.DoesNotContain(File.ReadAllText(Path.Combine(dir.Path, "admin.token")).Trim(), line, StringComparison.Ordinal);

            Assert.Equal(0, Kill(process.Id, "TERM"));
            var stopped = await ReadLineUntilAsync(process, l => l.Contains("stopped", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            Assert.Contains("gitorch engine stopped", stopped, StringComparison.Ordinal);
            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    private static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Dll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        return Process.Start(info)!;
    }

    private static async Task<(int Code, string Output)> RunToEndAsync(params string[] args)
    {
        using var p = Start(args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        return (p.ExitCode, await stdout + await stderr);
    }

    private static async Task<string> ReadLineUntilAsync(Process p, Func<string, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var seen = new List<string>();
        while (true)
        {
            var line = await p.StandardOutput.ReadLineAsync(cts.Token)
                ?? throw new InvalidOperationException("gitorch exited; output: " + string.Join(" | ", seen) + " stderr: " + await p.StandardError.ReadToEndAsync());
            seen.Add(line);
            if (match(line))
            {
                return line;
            }
        }
    }

    private static int Kill(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        return kill.ExitCode;
    }
}
