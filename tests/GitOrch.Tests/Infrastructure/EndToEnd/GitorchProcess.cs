using System.Diagnostics;
using System.Text.RegularExpressions;
using GitOrch.Tests.Infrastructure.Module;

namespace GitOrch.Tests.Infrastructure.EndToEnd;

/// <summary>
/// One real <c>gitorch</c> child process (server or agent), started the way a person starts it, with stdout and
/// stderr captured so a failing test can show what the process said. <see cref="Kill"/> is SIGKILL (no shutdown code
/// runs); dispose kills whatever is left of the process tree.
/// </summary>
public sealed class GitorchProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = new();
    private readonly object _gate = new();

    private GitorchProcess(string label, Process process)
    {
        Label = label;
        _process = process;
    }

    /// <summary>What the process is in the test's words ("engine", "agent node-a"), used in failure messages.</summary>
    public string Label { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The apphost of the same configuration as the tests: Engine/bin/&lt;config&gt;/net10.0/gitorch.</summary>
    public static string Executable => FindExecutable();

    public static GitorchProcess Start(string label, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = PowerShellSession.RepoRoot,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        // No colours or console width games in captured output.
        psi.Environment["DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION"] = "false";
        psi.Environment["NO_COLOR"] = "1";
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var result = new GitorchProcess(label, process);
        process.OutputDataReceived += (_, e) => result.Append(e.Data);
        process.ErrorDataReceived += (_, e) => result.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        result.Append($"[test] started {label}: pid {process.Id}: gitorch {string.Join(' ', psi.ArgumentList)}");
        return result;
    }

    /// <summary>Waits until a line of output matches; fails with the output when the process exits first or time runs out.</summary>
    public async Task<Match> WaitForLineAsync(Regex pattern, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            lock (_gate)
            {
                foreach (var line in _lines)
                {
                    var m = pattern.Match(line);
                    if (m.Success)
                    {
                        return m;
                    }
                }
            }

            if (_process.HasExited)
            {
                // Give the output readers a moment to deliver the last lines before reporting them.
                _process.WaitForExit();
                throw new InvalidOperationException($"{Label} exited with code {_process.ExitCode} before printing /{pattern}/\n{Output()}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Label} did not print /{pattern}/ within {timeout.TotalSeconds:0} s\n{Output()}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>The last lines the process wrote (stdout and stderr interleaved as they arrived).</summary>
    public string Output(int lastLines = 150)
    {
        lock (_gate)
        {
            var skip = Math.Max(0, _lines.Count - lastLines);
            return $"--- {Label} (pid {_process.Id}), last {Math.Min(lastLines, _lines.Count)} of {_lines.Count} lines ---\n" + string.Join('\n', _lines.Skip(skip));
        }
    }

    /// <summary>SIGKILL, as the OOM killer or a power cut would: no graceful shutdown, no flush, no goodbye.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            Append("[test] SIGKILL");
            _process.Kill(entireProcessTree: true);
        }

        if (!_process.WaitForExit(10_000))
        {
            throw new TimeoutException($"{Label} did not exit within 10 s of SIGKILL");
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped: nothing left to stop.
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line == null)
        {
            return;
        }

        lock (_gate)
        {
            _lines.Add(line);
        }
    }

    private static string FindExecutable()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var exe = Path.Combine(PowerShellSession.RepoRoot, "Engine", "bin", configuration, "net10.0", OperatingSystem.IsWindows() ? "gitorch.exe" : "gitorch");
        return File.Exists(exe) ? exe : throw new FileNotFoundException("build the Engine first (dotnet build GitOrch.sln): the end-to-end tests run its executable", exe);
    }
}
