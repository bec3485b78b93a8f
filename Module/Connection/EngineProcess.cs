using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace GitOrch.Module.Connection;

/// <summary>
/// Finds and launches the all-in-one engine (<c>gitorch server</c>) as a background process that outlives the
/// PowerShell session: output goes to <c>gitorch.log</c> and the process id to <c>gitorch.pid</c> in the data directory.
/// </summary>
internal static class EngineProcess
{
    public const string PidFileName = "gitorch.pid";
    public const string LogFileName = "gitorch.log";

    private static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

    /// <summary>GITORCH_EXE, then next to the module, then the engine built in the same repository (artifacts/module -> Engine/bin), then PATH.</summary>
    public static string? FindExecutable(string moduleDirectory)
    {
        var fromEnv = Environment.GetEnvironmentVariable("GITORCH_EXE");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return File.Exists(fromEnv) ? Path.GetFullPath(fromEnv) : null;
        }

        var names = IsWindows ? new[] { "gitorch.exe", "gitorch.dll" } : new[] { "gitorch", "gitorch.dll" };
        var dirs = new List<string> { moduleDirectory, Path.Combine(moduleDirectory, "engine") };
        var repoRoot = Path.GetFullPath(Path.Combine(moduleDirectory, "..", ".."));
        foreach (var configuration in new[] { "Release", "Debug" })
        {
            dirs.Add(Path.Combine(repoRoot, "Engine", "bin", configuration, "net10.0"));
        }

        dirs.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Where(d => d.Length > 0));
        foreach (var dir in dirs)
        {
            foreach (var name in names)
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    public static Process Launch(string executable, IReadOnlyList<string> args, string logFile)
    {
        // A framework-dependent build is a .dll: run it with the dotnet host.
        var argv = new List<string>();
        if (executable.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            argv.Add(DotnetHost());
        }

        argv.Add(executable);
        argv.AddRange(args);

        ProcessStartInfo psi;
        if (IsWindows)
        {
            psi = new ProcessStartInfo(argv[0], string.Join(" ", argv.Skip(1).Select(WindowsQuote))) { CreateNoWindow = true };
        }
        else
        {
            // sh redirects into the log and, with setsid, leaves the terminal's process group so Ctrl+C in the
            // session does not stop the engine; exec keeps the engine's pid the one we record.
            var command = string.Join(" ", argv.Select(ShQuote));
            var script = $"exec </dev/null >>{ShQuote(logFile)} 2>&1; if command -v setsid >/dev/null 2>&1; then exec setsid {command}; else exec {command}; fi";
            psi = new ProcessStartInfo("/bin/sh", "-c \"eval \\\"$GITORCH_LAUNCH\\\"\"");
            psi.Environment["GITORCH_LAUNCH"] = script;
        }

        psi.UseShellExecute = false;
        return Process.Start(psi) ?? throw new InvalidOperationException("the engine process did not start");
    }

    /// <summary>Asks the engine to shut down cleanly (SIGTERM on Unix), so the store is closed properly.</summary>
    public static void RequestStop(Process process)
    {
        if (IsWindows)
        {
            process.Kill();
            return;
        }

        _ = kill(process.Id, 15);
    }

    public static string ReadLogTail(string logFile, int lines = 20)
    {
        try
        {
            return File.Exists(logFile) ? string.Join(Environment.NewLine, TailOf(File.ReadAllLines(logFile), lines)) : "";
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static IEnumerable<string> TailOf(string[] all, int lines) => all.Skip(Math.Max(0, all.Length - lines));

    /// <summary>"127.0.0.1:6443" -> "https://127.0.0.1:6443" (the engine serves HTTPS only); a wildcard bind address is reached through loopback.</summary>
    public static string ServerUrl(string listen)
    {
        var hostPort = listen.Replace("0.0.0.0:", "127.0.0.1:").Replace("[::]:", "[::1]:");
        if (hostPort.StartsWith(":", StringComparison.Ordinal))
        {
            hostPort = "127.0.0.1" + hostPort;
        }

        return "https://" + hostPort;
    }

    private static string DotnetHost()
    {
        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        var name = IsWindows ? "dotnet.exe" : "dotnet";
        if (!string.IsNullOrEmpty(root) && File.Exists(Path.Combine(root, name)))
        {
            return Path.Combine(root, name);
        }

        // The host running this PowerShell, when it is dotnet itself (tests); otherwise dotnet from PATH.
        var self = Process.GetCurrentProcess().MainModule?.FileName;
        return self != null && Path.GetFileName(self).Equals(name, StringComparison.OrdinalIgnoreCase) ? self : name;
    }

    private static string ShQuote(string s) => "'" + s.Replace("'", "'\\''") + "'";

    private static string WindowsQuote(string s) => s.Length > 0 && s.IndexOfAny(new[] { ' ', '"', '\t' }) < 0 ? s : "\"" + s.Replace("\"", "\\\"") + "\"";

    [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
#pragma warning disable CA2101, CA5392, SYSLIB1054, IDE1006 // plain libc call
    private static extern int kill(int pid, int sig);
#pragma warning restore CA2101, CA5392, SYSLIB1054, IDE1006
}
