using GitOrch.Bench.Scenarios;

namespace GitOrch.Bench;

/// <summary>
/// <c>dotnet run -c Release --project tests/GitOrch.Bench -- &lt;scenario&gt;</c>. Each scenario prints a table and, as
/// its last line, <c>RESULT &lt;scenario&gt; key=value ...</c>. <c>all</c> runs every scenario and prints one table.
/// </summary>
public static class Program
{
    private static readonly Dictionary<string, Func<string[], Task<BenchResult>>> Scenarios = new(StringComparer.OrdinalIgnoreCase)
    {
        ["store"] = StoreScenario.RunAsync,
        ["api"] = ApiScenario.RunAsync,
        ["gitops"] = GitOpsScenario.RunAsync,
        ["scheduler"] = SchedulerScenario.RunAsync,
        ["rollout"] = RolloutScenario.RunAsync,
        ["agent"] = AgentScenario.RunAsync,
        ["proxy"] = ProxyScenario.RunAsync,
        ["daemonset"] = DaemonSetScenario.RunAsync,
        ["footprint"] = FootprintScenario.RunAsync,
        ["e2e"] = E2eScenario.RunAsync,
        ["scale"] = ScaleScenario.RunAsync,
        ["autoscale"] = AutoscaleScenario.RunAsync,
        // New scenarios: one line each, in the order "all" runs them.
    };

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" || (args[0] != "all" && !Scenarios.ContainsKey(args[0])))
        {
            Console.WriteLine("usage: GitOrch.Bench <scenario>|all [options]");
            Console.WriteLine("scenarios: " + string.Join(", ", Scenarios.Keys));
            return args.Length == 0 || args[0] is "-h" or "--help" ? 0 : 2;
        }

        if (args[0] == "all")
        {
            // One scenario failing (no Docker, a timeout) must not hide the others' figures: note it and go on.
            var results = new List<(string Name, BenchResult? Result, string? Error, TimeSpan Took)>();
            foreach (var (name, run) in Scenarios)
            {
                Console.WriteLine($"== {name} ==");
                var sw = System.Diagnostics.Stopwatch.StartNew();
                try
                {
                    var r = await run(args[1..]);
                    Console.WriteLine(r.ResultLine);
                    results.Add((name, r, null, sw.Elapsed));
                }
                catch (Exception e)
                {
                    Console.WriteLine($"{name} FAILED: {e}");
                    results.Add((name, null, e.GetType().Name + ": " + e.Message.Split('\n')[0], sw.Elapsed));
                }
            }

            Console.WriteLine();
            Console.WriteLine($"{"scenario",-12} {"took",7}  figures");
            foreach (var (name, r, error, took) in results)
            {
                Console.WriteLine($"{name,-12} {took.TotalSeconds,6:0}s  {r?.Figures ?? "FAILED " + error}");
            }

            foreach (var (_, r, _, _) in results)
            {
                if (r != null)
                {
                    Console.WriteLine(r.ResultLine);
                }
            }

            return results.Any(r => r.Result == null) ? 1 : 0;
        }

        var result = await Scenarios[args[0]](args[1..]);
        Console.WriteLine(result.ResultLine);
        return 0;
    }
}
