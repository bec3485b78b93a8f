using GitOrch.Api.Model;
using GitOrch.Engine.Events;
using GitOrch.Engine.Runtime;
using GitOrch.Engine.Sources;
using GitOrch.Engine.Sources.Fetch;
using GitOrch.Engine.Sources.Writing;
using GitOrch.Engine.Store;
using GitOrch.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOrch.Tests.Infrastructure.Sources;

/// <summary>A real store in a temp folder, a source reconciler over it, and an event recorder.</summary>
public sealed class SourceHarness : IAsyncDisposable
{
    public SourceHarness()
    {
        Dir = new TempDirectory("gitorch-sources");
        Store = ObjectStore.Open(Path.Combine(Dir.Path, "data"));
        Events = new EventRecorder(Store, TimeProvider.System, new EventOptions(), NullLogger<EventRecorder>.Instance);
        Events.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        Options = new SourceOptions { DataDir = Path.Combine(Dir.Path, "data"), DefaultTimeout = TimeSpan.FromSeconds(10) };
        Informers = new SharedInformers(Store, NullLoggerFactory.Instance);
        Reconciler = new SourceReconciler(Store, Informers, Options, Events);
        Repositories = Reconciler.Repositories;
        Writer = new GitWriter(Store, Repositories, Reconciler.Fetcher, Options);
        Repo = new TestRepo(Path.Combine(Dir.Path, "git"));
    }

    public TempDirectory Dir { get; }
    public ObjectStore Store { get; }
    public EventRecorder Events { get; }
    public SourceOptions Options { get; }

    /// <summary>Not started: the harness calls the reconciler directly, as the controller would.</summary>
    public SharedInformers Informers { get; }
    public SourceRepositories Repositories { get; }
    public SourceReconciler Reconciler { get; }
    public GitWriter Writer { get; }
    public TestRepo Repo { get; }

    public async Task<GitSource> CreateSourceAsync(string url, string name = "app", Action<GitSourceSpec>? configure = null)
    {
        var spec = new GitSourceSpec { Url = url, Ref = new GitSourceRef { Branch = "main" }, Interval = "1m" };
        configure?.Invoke(spec);
        return await Store.CreateAsync(new GitSource { ApiVersion = "gitorch.io/v1", Kind = "GitSource", Metadata = new ObjectMeta { Name = name, Namespace = "default" }, Spec = spec });
    }

    public Task<ReconcileResult> ReconcileAsync(string name = "app") => Reconciler.ReconcileAsync(new ObjectKey("default", name), CancellationToken.None);

    public GitSource Source(string name = "app") => Store.Get<GitSource>("default", name)!;

    public Condition? Condition(string type, string name = "app") => SourceConditions.Get(Source(name).Status, type);

    public async Task<IReadOnlyList<Event>> EventsAsync()
    {
        await Events.FlushAsync();
        return Store.List<Event>();
    }

    public async ValueTask DisposeAsync()
    {
        await Events.StopAsync(CancellationToken.None);
        Repositories.Dispose();
        Store.Dispose();
        Dir.Dispose();
    }
}
