using GitOrch.Engine.Coordination;
using GitOrch.Engine.Hosting;
using GitOrch.Engine.Store.Etcd;
using Microsoft.Extensions.DependencyInjection;

namespace GitOrch.Tests.Infrastructure.Etcd;

/// <summary>
/// Several in-process Engines (components on) sharing one etcd cluster under a fresh key prefix, each with its own
/// data directory: what three machines of the README's "High availability" section run, in one test process.
/// </summary>
public sealed class HaEngines : IAsyncDisposable
{
    private readonly List<TestEngine?> _engines;

    private HaEngines(List<TestEngine?> engines, string prefix)
    {
        _engines = engines;
        Prefix = prefix;
    }

    public string Prefix { get; }

    public IReadOnlyList<TestEngine?> Engines => _engines;

    public IEnumerable<TestEngine> Running => _engines.Where(e => e != null)!;

    public static async Task<HaEngines> StartAsync(EtcdCluster cluster, int count, Action<EngineOptions>? configure = null)
    {
        var prefix = "/ha-" + Guid.NewGuid().ToString("N")[..10];
        var engines = new List<TestEngine?>();
        try
        {
            // One after the other: the first stores the tokens, the others must take them.
            for (var i = 0; i < count; i++)
            {
                engines.Add(await TestEngine.StartAsync(startComponents: true, configure: o =>
                {
                    o.Etcd = Options(cluster, prefix);
                    o.Leadership.Identity = "engine-" + i;
                    configure?.Invoke(o);
                }));
            }

            return new HaEngines(engines, prefix);
        }
        catch
        {
            foreach (var e in engines)
            {
                await e!.DisposeAsync();
            }

            throw;
        }
    }

    public static EtcdStoreOptions Options(EtcdCluster cluster, string prefix)
    {
        var etcd = new EtcdStoreOptions { Prefix = prefix };
        etcd.Endpoints.AddRange(cluster.Endpoints);
        return etcd;
    }

    internal static LeaderElector Elector(TestEngine engine) => engine.Services.GetRequiredService<LeaderElector>();

    /// <summary>The one running Engine whose controllers run, once exactly one does.</summary>
    public async Task<TestEngine> LeaderAsync(TimeSpan timeout)
        => (await Eventually.Until(() => Running.Where(e => Elector(e).IsLeader).ToList(), l => l.Count == 1, timeout, "exactly one leader")).Single();

    /// <summary>Stops one Engine cleanly (it hands the lease over).</summary>
    public async Task StopAsync(TestEngine engine)
    {
        var i = _engines.IndexOf(engine);
        _engines[i] = null;
        await engine.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var e in Running.ToList())
        {
            await e.DisposeAsync();
        }
    }
}
