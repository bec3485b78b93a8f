using GitOrch.Api.Model;
using GitOrch.Engine.Runtime;
using GitOrch.Engine.Store;
using GitOrch.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace GitOrch.Tests.Engine.Runtime;

public sealed class ControllerTests : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("gitorch-runtime");
    private readonly ObjectStore _store;
    private readonly SharedInformers _informers;

    public ControllerTests()
    {
        _store = ObjectStore.Open(_dir.Path);
        _informers = new SharedInformers(_store, NullLoggerFactory.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        await _informers.DisposeAsync();
        _store.Dispose();
        _dir.Dispose();
    }

    private static ConfigMap Cm(string name) => new() { Metadata = new ObjectMeta { Name = name, Namespace = "default" }, Data = new() { ["k"] = "v" } };

    /// <summary>Counts reconciles per key, tracks concurrency, and answers with whatever the test scripts.</summary>
    private sealed class ScriptedReconciler : IReconciler
    {
        private readonly Informer<ConfigMap> _informer;
        private int _running;

        public ScriptedReconciler(Informer<ConfigMap> informer) => _informer = informer;

        public Func<ObjectKey, int, ReconcileResult> Answer { get; set; } = (_, _) => ReconcileResult.Done;

        public Dictionary<string, int> Counts { get; } = new();

        public int MaxConcurrentSameKey { get; private set; }

        public string Name => "scripted";

        public ResourceKind Kind => ResourceKinds.ConfigMap;

        public void Watch(ControllerWiring wiring) => wiring.For(_informer);

        public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
        {
            int n;
            lock (Counts)
            {
                Counts[key.Name] = n = Counts.GetValueOrDefault(key.Name) + 1;
            }

            var running = Interlocked.Increment(ref _running);
            MaxConcurrentSameKey = Math.Max(MaxConcurrentSameKey, running);
            await Task.Delay(20, cancellationToken);
            Interlocked.Decrement(ref _running);
            return Answer(key, n);
        }

        public int Count(string name)
        {
            lock (Counts)
            {
                return Counts.GetValueOrDefault(name);
            }
        }
    }

    [Fact]
    public async Task Errors_are_retried_terminal_is_not_and_one_key_never_runs_twice_at_once()
    {
        var reconciler = new ScriptedReconciler(_informers.Get<ConfigMap>())
        {
            Answer = (key, n) => key.Name switch
            {
                "flaky" when n < 3 => ReconcileResult.Error("not yet"),
                "broken" => ReconcileResult.Terminal("bad spec"),
                _ => ReconcileResult.Done,
            },
        };
        using var controller = new Controller(reconciler, new ControllerOptions { Workers = 4, Queue = new WorkQueueOptions { BaseRetryDelay = TimeSpan.FromMilliseconds(10) } }, TimeProvider.System, NullLogger.Instance);
        await _informers.StartAsync(CancellationToken.None);
        await controller.StartAsync(CancellationToken.None);

        await _store.CreateAsync(Cm("flaky"));
        await _store.CreateAsync(Cm("broken"));
        var one = await _store.CreateAsync(Cm("busy"));
        for (var i = 0; i < 20; i++)
        {
            one.Data!["k"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            one = await _store.UpdateAsync(one);
        }

        await Eventually.True(() => reconciler.Count("flaky") == 3, TimeSpan.FromSeconds(5), "flaky retried until it succeeded");
        await Task.Delay(200);
        Assert.Equal(3, reconciler.Count("flaky"));
        Assert.Equal(1, reconciler.Count("broken"));
        Assert.InRange(reconciler.Count("busy"), 1, 20);
        Assert.Equal(2, controller.Metrics.Errors);
        Assert.Equal(1, controller.Metrics.Terminal);

        await controller.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Requeue_after_reconciles_again_when_the_clock_says_so()
    {
        var time = new FakeTimeProvider();
        var reconciler = new ScriptedReconciler(_informers.Get<ConfigMap>()) { Answer = (_, _) => ReconcileResult.After(TimeSpan.FromMinutes(1)) };
        using var controller = new Controller(reconciler, new ControllerOptions(), time, NullLogger.Instance);
        await _informers.StartAsync(CancellationToken.None);
        await controller.StartAsync(CancellationToken.None);
        await _store.CreateAsync(Cm("timer"));
        await Eventually.True(() => reconciler.Count("timer") == 1, TimeSpan.FromSeconds(5), "first reconcile");
        await Eventually.True(() => controller.Metrics.Requeues == 1, TimeSpan.FromSeconds(5), "requeue recorded");

        time.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(100);
        Assert.Equal(1, reconciler.Count("timer"));
        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.True(() => reconciler.Count("timer") == 2, TimeSpan.FromSeconds(5), "second reconcile after a minute");
        await controller.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Terminal_with_a_poll_is_looked_at_again_only_when_the_poll_is_due()
    {
        var time = new FakeTimeProvider();
        var reconciler = new ScriptedReconciler(_informers.Get<ConfigMap>()) { Answer = (_, _) => ReconcileResult.Terminal("invalid commit", TimeSpan.FromMinutes(1)) };
        using var controller = new Controller(reconciler, new ControllerOptions(), time, NullLogger.Instance);
        await _informers.StartAsync(CancellationToken.None);
        await controller.StartAsync(CancellationToken.None);
        await _store.CreateAsync(Cm("stalled"));
        await Eventually.True(() => controller.Metrics.Terminal == 1, TimeSpan.FromSeconds(5), "terminal recorded");

        time.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(100);
        Assert.Equal(1, reconciler.Count("stalled"));
        Assert.Equal(0, controller.Metrics.Errors);
        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.True(() => reconciler.Count("stalled") == 2, TimeSpan.FromSeconds(5), "the poll after a minute");
        await controller.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task An_error_with_a_cap_is_retried_no_later_than_the_cap()
    {
        var time = new FakeTimeProvider();
        var reconciler = new ScriptedReconciler(_informers.Get<ConfigMap>()) { Answer = (_, n) => n == 1 ? ReconcileResult.Error("fetch failed", TimeSpan.FromSeconds(2)) : ReconcileResult.Done };
        var options = new ControllerOptions { Queue = new WorkQueueOptions { BaseRetryDelay = TimeSpan.FromMinutes(1) } };
        using var controller = new Controller(reconciler, options, time, NullLogger.Instance);
        await _informers.StartAsync(CancellationToken.None);
        await controller.StartAsync(CancellationToken.None);
        await _store.CreateAsync(Cm("capped"));
        await Eventually.True(() => controller.Metrics.Errors == 1, TimeSpan.FromSeconds(5), "error recorded");

        time.Advance(TimeSpan.FromSeconds(2));
        await Eventually.True(() => reconciler.Count("capped") == 2, TimeSpan.FromSeconds(5), "the retry at the cap, not after a minute");
        await controller.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Informer_relists_when_its_watch_is_too_old_and_reports_what_it_missed()
    {
        await using var store2Dir = new AsyncTempDir();
        using var small = ObjectStore.Open(store2Dir.Path, options: new StoreOptions { ChangeLogCapacity = 16 });
        var informer = new Informer<ConfigMap>(small, NullLogger.Instance);
        var deleted = new List<string>();
        informer.AddHandler(e =>
        {
            if (e.Type == WatchEventType.Deleted)
            {
                lock (deleted)
                {
                    deleted.Add(e.Object.Metadata.Name!);
                }
            }
        });
        await small.CreateAsync(Cm("gone"));
        using var cts = new CancellationTokenSource();
        var run = informer.RunAsync(cts.Token);
        await informer.WaitForSyncAsync(CancellationToken.None);

        // A burst far beyond the change log while the informer keeps up or not: either way it must converge.
        await small.DeleteAsync(ResourceKinds.ConfigMap, "default", "gone");
        for (var i = 0; i < 200; i++)
        {
            await small.CreateAsync(Cm("cm-" + i));
        }

        await Eventually.True(() => informer.Count == 200 && informer.LastRevision >= small.Revision, TimeSpan.FromSeconds(10), "cache converged");
        Assert.Null(informer.Get("default", "gone"));
        Assert.Contains("gone", deleted);
        cts.Cancel();
        await run;
    }

    private sealed class AsyncTempDir : IAsyncDisposable
    {
        private readonly TempDirectory _dir = new("gitorch-runtime");

        public string Path => _dir.Path;

        public ValueTask DisposeAsync()
        {
            _dir.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
