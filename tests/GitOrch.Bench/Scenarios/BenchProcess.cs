using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace GitOrch.Bench.Scenarios;

/// <summary>
/// A real <c>gitorch</c> process (the Engine project's build output, with the runtimeconfig users get), started on
/// a free port of a loopback address, ready once <c>/readyz</c> answers. Disposing sends SIGTERM (the agent leaves,
/// the store closes) and kills it if it has not exited within 15 s.
/// </summary>
internal sealed class BenchProcess : IAsyncDisposable
{
    private BenchProcess(Process process, string name)
    {
        Process = process;
        Name = name;
    }

    public Process Process { get; }
    public string Name { get; }

    /// <summary>The Engine project's own build output (what users run); the copy next to this bench otherwise.</summary>
    public static string Executable()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
        {
            var exe = Path.Combine(d.FullName, "Engine", "bin", configuration, "net10.0", "gitorch");
            if (File.Exists(Path.Combine(d.FullName, "GitOrch.sln")) && File.Exists(exe))
            {
                return exe;
            }
        }

        return Path.Combine(AppContext.BaseDirectory, "gitorch");
    }

    public static BenchProcess Start(string exe, IReadOnlyDictionary<string, string>? env, params string[] args)
    {
        var psi = new ProcessStartInfo(exe) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        var name = args.Length > 0 ? args[0] : Path.GetFileName(exe);
        var p = Process.Start(psi)!;
        var result = new BenchProcess(p, name);
        p.OutputDataReceived += (_, e) => result.OnOutput(e.Data);
        p.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrEmpty(e.Data))
            {
                Console.Error.WriteLine($"{name}: {e.Data}");
            }
        };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return result;
    }

    /// <summary>Lines the process printed on stdout (bench children report through it).</summary>
    public List<string> Output { get; } = new();

    public event Action<string>? Line;

    private void OnOutput(string? line)
    {
        if (line == null)
        {
            return;
        }

        lock (Output)
        {
            Output.Add(line);
        }

        Line?.Invoke(line);
    }

    public static int FreePort(string ip)
    {
        using var l = new TcpListener(IPAddress.Parse(ip), 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Polls <c>/readyz</c> every 10 ms until it answers 200 (or the process dies).</summary>
    public async Task WaitReadyAsync(Uri url, TimeSpan timeout)
    {
        // /readyz is anonymous and this probe sends no token, so it alone skips the certificate check (ca.crt may not
        // be written yet when polling starts); every client made afterwards trusts the data directory's CA.
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
        await WaitAsync(async () =>
        {
            try
            {
                using var r = await http.GetAsync(new Uri(url, "/readyz"));
                return r.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
            catch (TaskCanceledException)
            {
                return false;
            }
        }, timeout, "/readyz");
    }

    public async Task WaitAsync(Func<Task<bool>> done, TimeSpan timeout, string what, int pollMs = 10)
    {
        var deadline = Stopwatch.StartNew();
        while (!await done())
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException($"{what}: {Name} exited with {Process.ExitCode}");
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(pollMs);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", Process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                kill?.WaitForExit();
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await Process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                Process.Kill(true);
                await Process.WaitForExitAsync();
            }
        }

        Process.Dispose();
    }
}
