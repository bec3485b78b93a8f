using GitOrch.Api.Model;
using GitOrch.Engine.Sources.Fetch;
using GitOrch.Engine.Sources.Loading;
using GitOrch.Engine.Sources.Planning;
using GitOrch.Engine.Sources.Validation;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Sources.Pipeline;

/// <summary>
/// A commit's way from Git to a plan, written once for the source reconciler, the plan subresource and previews:
/// <see cref="LoadAsync"/> (fetch -> load -> build desired state, under the repository lock) -> <see cref="Validate"/>
/// -> <see cref="LiveFor"/> (the live view) -> <see cref="Plan"/>. Callers run the steps in that order; what they do
/// between them (skip an unchanged commit, create a preview namespace before validating) stays theirs.
/// </summary>
public sealed class CommitPipeline
{
    private readonly IObjectStore _store;
    private readonly SourceOptions _options;

    public CommitPipeline(IObjectStore store, SourceRepositories repositories, SourceOptions options)
    {
        _store = store;
        Repositories = repositories;
        _options = options;
    }

    public SourceRepositories Repositories { get; }

    public SourceFetcher Fetcher { get; } = new();

    /// <summary>Fetches, then (unless skipped or reused) loads every manifest of the commit and builds its desired state.</summary>
    public async Task<LoadedCommit> LoadAsync(CommitRequest request, CancellationToken cancellationToken)
    {
        var cache = Repositories.Get(request.Namespace, request.Name);
        await cache.Lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var fetched = await request.Fetch(Fetcher, cache, cancellationToken).ConfigureAwait(false);
            request.Timer?.Mark("fetch");
            if (request.Skip?.Invoke(fetched) == true)
            {
                return new LoadedCommit(fetched, null);
            }

            if (request.Reuse?.Invoke(fetched) is { } reused)
            {
                return new LoadedCommit(fetched, reused, Reused: true);
            }

            var commit = cache.CommitOf(fetched.Commit)!;
            var load = new ManifestLoader(_options.Limits).Load(commit, request.Spec.Path, request.Files);
            request.Timer?.Mark("load");
            var desired = DesiredState.Build(load, commit.Sha, new DesiredTarget(request.Namespace, request.Name, request.Spec.TargetNamespace, request.PreviewNamespace, request.PreviewNumber));
            request.Timer?.Mark("desired");
            return new LoadedCommit(fetched, desired);
        }
        finally
        {
            cache.Lock.Release();
        }
    }

    /// <summary>Validates all of the desired state against the store (errors and warnings land on it).</summary>
    public void Validate(DesiredState desired, PhaseTimer? timer = null)
    {
        SourceValidator.Validate(desired, _store);
        timer?.Mark("validate");
    }

    /// <summary>The live objects of a production source: the kinds it wants now and the kinds it applied last time.</summary>
    public LiveView LiveFor(DesiredState desired, IReadOnlyList<InventoryEntry>? inventory, string ns, string name)
        => new(_store, desired.Objects.Select(o => o.Kind).Concat((inventory ?? new List<InventoryEntry>()).Select(Planner.KindOf)), SourceLabels.SourceValue(ns, name));

    /// <summary>The live objects of one preview: every namespaced kind in its namespace carrying its labels.</summary>
    public LiveView LiveForPreview(string ns, string name, string previewNamespace, string number)
    {
        var kinds = ResourceKinds.All.Where(k => k.Namespaced && k != ResourceKinds.Event && k != ResourceKinds.Endpoints);
        return new LiveView(_store, kinds, SourceLabels.SourceValue(ns, name), previewNamespace, number);
    }

    /// <summary>What applying <paramref name="desired"/> over <paramref name="live"/> would change.</summary>
    public static Plan Plan(DesiredState desired, LiveView live, PlanInputs inputs)
        => Planner.Build(desired, live, inputs);
}
