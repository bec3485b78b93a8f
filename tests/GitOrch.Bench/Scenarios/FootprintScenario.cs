using System.Diagnostics;
using GitOrch.Api.Client;
using GitOrch.Api.Model;

namespace GitOrch.Bench.Scenarios;

/// <summary>
/// What a user's machine pays for GitOrch at rest, measured on the shipped executable (Engine/bin/&lt;config&gt;/
/// net10.0/gitorch, with the runtimeconfig users get): resident memory (VmRSS) of an idle
/// <c>gitorch server --with-agent</c> (Engine and its local agent in one process) and of a standalone
/// <c>gitorch agent</c>, each once its Node is Ready and it has sat idle for 10 s; and time from process start
/// until <c>/readyz</c> answers. <c>--env NAME=VALUE</c> (repeatable) sets runtime knobs on both, to try them.
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

        var exe = BenchProcess.Executable();
        Console.WriteLine($"executable {exe}" + (env.Count > 0 ? "; env " + string.Join(' ', env.Select(e => e.Key + "=" + e.Value)) : ""));
        var dir = Path.Combine(Path.GetTempPath(), "gitorch-bench-footprint-" + Guid.NewGuid().ToString("N"));
        var engineNode = "bench-footprint-" + Environment.ProcessId;
        var agentNode = engineNode + "-agent";
        BenchProcess? engine = null;
        BenchProcess? agent = null;
        try
        {
            var url = new Uri($"https://{EngineIP}:{BenchProcess.FreePort(EngineIP)}");
            var sw = Stopwatch.StartNew();
            engine = BenchProcess.Start(exe, env, "server", "--data-dir", Path.Combine(dir, "data"), "--listen", $"{url.Host}:{url.Port}", "--with-agent", "--node-name", engineNode, "--log-level", "Warning");
            await engine.WaitReadyAsync(url, TimeSpan.FromSeconds(60));
            var ready = sw.Elapsed.TotalSeconds;

            using var client = BenchTls.Client(url, Path.Combine(dir, "data"));
            await engine.WaitAsync(async () => NodeReady(await client.TryGetAsync<Node>(null, engineNode)), TimeSpan.FromSeconds(60), "embedded agent's Node Ready");
            var engineNodeReady = sw.Elapsed.TotalSeconds;
            await Task.Delay(Idle);
            var engineMem = Memory.Of(engine.Process.Id);

            sw.Restart();
            agent = BenchProcess.Start(exe, env, "agent", "--server", url.ToString(), "--token-file", Path.Combine(dir, "data", "join.token"), "--node-name", agentNode,
                "--node-ip", AgentIP, "--data-dir", Path.Combine(dir, "agent"), "--log-level", "Warning");
            await agent.WaitAsync(async () => NodeReady(await client.TryGetAsync<Node>(null, agentNode)), TimeSpan.FromSeconds(60), "agent's Node Ready");
            var agentNodeReady = sw.Elapsed.TotalSeconds;
            await Task.Delay(Idle);
            var agentMem = Memory.Of(agent.Process.Id);

            Console.WriteLine($"{"measure",-46} {"value",10}");
            Console.WriteLine($"{"engine+agent: start -> /readyz (s)",-46} {ready,10:0.00}");
            Console.WriteLine($"{"engine+agent: start -> its Node Ready (s)",-46} {engineNodeReady,10:0.00}");
            Console.WriteLine($"{"engine+agent idle RSS (MB)",-46} {engineMem.RssMb,10:0.0}   {engineMem}");
            Console.WriteLine($"{"agent: start -> its Node Ready (s)",-46} {agentNodeReady,10:0.00}");
            Console.WriteLine($"{"agent idle RSS (MB)",-46} {agentMem.RssMb,10:0.0}   {agentMem}");
            if (Environment.GetEnvironmentVariable("GITORCH_BENCH_SMAPS") == "1")
            {
                Console.WriteLine("engine:\n" + Memory.TopMappings(engine.Process.Id) + "\nagent:\n" + Memory.TopMappings(agent.Process.Id));
            }

            return new BenchResult("footprint")
                .Add("engine_rss_mb", Math.Round(engineMem.RssMb, 1))
                .Add("agent_rss_mb", Math.Round(agentMem.RssMb, 1))
                .Add("ready_s", Math.Round(ready, 2));
        }
        finally
        {
            if (agent != null)
            {
                await agent.DisposeAsync();
            }

            if (engine != null)
            {
                await engine.DisposeAsync();
            }

            await BenchDocker.RemoveNodeContainersAsync(engineNode, agentNode);
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static bool NodeReady(Node? n) => n?.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
}
