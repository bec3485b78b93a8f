using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using GitOrch.Api.Client;
using GitOrch.Api.Model;

namespace GitOrch.Bench.Scenarios;

/// <summary>
/// What a user's machine pays for GitOrch at rest, measured on the shipped executable (Engine/bin/&lt;config&gt;/
/// net10.0/gitorch, as built; its runtimeconfig is what users get): resident memory (VmRSS) of an idle
/// <c>gitorch server --with-agent</c> (Engine and its local agent in one process) and of a standalone
/// <c>gitorch agent</c>, each after its Node is Ready and it has sat idle; and time from process start until
/// <c>/readyz</c> answers. <c>--env NAME=VALUE</c> (repeatable) sets runtime knobs on both processes, to try them.
/// </summary>
public static class FootprintScenario
{
    private const string EngineIP = "127.0.5.2";
    private const string AgentIP = "127.0.5.3";
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(10);

    public static async Task<BenchResult> RunAsync(string[] args)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--env" && args[i + 1].Split('=', 2) is [var k, var v])
            {
                env[k] = v;
            }
        }

        var exe = EngineExecutable();
        Console.WriteLine($"executable {exe}" + (env.Count > 0 ? "; env " + string.Join(' ', env.Select(e => e.Key + "=" + e.Value)) : ""));
        var dir = Path.Combine(Path.GetTempPath(), "gitorch-bench-footprint-" + Guid.NewGuid().ToString("N"));
        var engineNode = "bench-footprint-" + Environment.ProcessId;
        var agentNode = engineNode + "-agent";
        Process? engine = null;
        Process? agent = null;
        try
        {
            var port = FreePort(EngineIP);
            var url = new Uri($"http://{EngineIP}:{port}");
            var sw = Stopwatch.StartNew();
            engine = Start(exe, env, "server", "--data-dir", Path.Combine(dir, "data"), "--listen", $"{EngineIP}:{port}", "--with-agent", "--node-name", engineNode, "--log-level", "Warning");
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            await WaitAsync(async () => await ReadyAsync(http, url), TimeSpan.FromSeconds(60), "engine /readyz", engine);
            var ready = sw.Elapsed.TotalSeconds;

            using var client = new GitOrchClient(url, (await File.ReadAllTextAsync(Path.Combine(dir, "data", "admin.token"))).Trim());
            await WaitAsync(async () => NodeReady(await client.TryGetAsync<Node>(null, engineNode)), TimeSpan.FromSeconds(60), "embedded agent's Node Ready", engine);
            var engineNodeReady = sw.Elapsed.TotalSeconds;
            await Task.Delay(Idle);
            var engineMem = Memory.Of(engine.Id);

            sw.Restart();
            agent = Start(exe, env, "agent", "--server", url.ToString(), "--token-file", Path.Combine(dir, "data", "agent.token"), "--node-name", agentNode,
                "--node-ip", AgentIP, "--data-dir", Path.Combine(dir, "agent"), "--log-level", "Warning");
            await WaitAsync(async () => NodeReady(await client.TryGetAsync<Node>(null, agentNode)), TimeSpan.FromSeconds(60), "agent's Node Ready", agent);
            var agentNodeReady = sw.Elapsed.TotalSeconds;
            await Task.Delay(Idle);
            var agentMem = Memory.Of(agent.Id);

            Console.WriteLine($"{"measure",-46} {"value",10}");
            Console.WriteLine($"{"engine+agent: start -> /readyz (s)",-46} {ready,10:0.00}");
            Console.WriteLine($"{"engine+agent: start -> its Node Ready (s)",-46} {engineNodeReady,10:0.00}");
            Console.WriteLine($"{"engine+agent idle RSS (MB)",-46} {engineMem.RssMb,10:0.0}   {engineMem}");
            Console.WriteLine($"{"agent: start -> its Node Ready (s)",-46} {agentNodeReady,10:0.00}");
            Console.WriteLine($"{"agent idle RSS (MB)",-46} {agentMem.RssMb,10:0.0}   {agentMem}");
            if (Environment.GetEnvironmentVariable("GITORCH_BENCH_SMAPS") == "1")
            {
                Console.WriteLine("engine:\n" + Memory.TopMappings(engine.Id) + "\nagent:\n" + Memory.TopMappings(agent.Id));
            }

            return new BenchResult("footprint")
                .Add("engine_rss_mb", Math.Round(engineMem.RssMb, 1))
                .Add("agent_rss_mb", Math.Round(agentMem.RssMb, 1))
                .Add("ready_s", Math.Round(ready, 2));
        }
        finally
        {
            await StopAsync(agent);
            await StopAsync(engine);
            await DockerCleanup.RemoveNodeContainersAsync(engineNode, agentNode);
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>The Engine project's own build output (what users run); the copy next to this bench otherwise.</summary>
    internal static string EngineExecutable()
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

    private static Process Start(string exe, IReadOnlyDictionary<string, string> env, params string[] args)
    {
        var psi = new ProcessStartInfo(exe) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }

        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrEmpty(e.Data))
            {
                Console.Error.WriteLine($"{args[0]}: {e.Data}");
            }
        };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static async Task StopAsync(Process? p)
    {
        if (p == null)
        {
            return;
        }

        if (!p.HasExited)
        {
            // SIGTERM first: the agent leaves, the engine closes its store; then make sure.
            Process.Start("kill", ["-TERM", p.Id.ToString(CultureInfo.InvariantCulture)])?.WaitForExit();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await p.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                p.Kill(true);
                await p.WaitForExitAsync();
            }
        }

        p.Dispose();
    }

    private static async Task<bool> ReadyAsync(HttpClient http, Uri url)
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
    }

    private static bool NodeReady(Node? n) => n?.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    private static int FreePort(string ip)
    {
        using var l = new TcpListener(IPAddress.Parse(ip), 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static async Task WaitAsync(Func<Task<bool>> done, TimeSpan timeout, string what, Process process)
    {
        var deadline = Stopwatch.StartNew();
        while (!await done())
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{what}: the process exited with {process.ExitCode}");
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(10);
        }
    }
}
