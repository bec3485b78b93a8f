using GitOrch.Api.Model;
using GitOrch.Engine.Sources.Fetch;
using GitOrch.Engine.Sources.Loading;
using GitOrch.Engine.Sources.Planning;

namespace GitOrch.Engine.Sources.Pipeline;

/// <summary>Which commit of which source <see cref="CommitPipeline.LoadAsync"/> fetches and loads, and how.</summary>
public sealed record CommitRequest
{
    /// <summary>Namespace of the GitSource (its repository cache and its objects' source label).</summary>
    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public required GitSourceSpec Spec { get; init; }

    /// <summary>The fetch (branch/tag/semver of the spec, any ref for a plan, a pull request's ref for a preview).</summary>
    public required Func<SourceFetcher, SourceRepository, CancellationToken, Task<FetchResult>> Fetch { get; init; }

    /// <summary>Parsed files by blob, so a one-file commit parses one file (the source reconciler keeps one per source).</summary>
    public ManifestCache? Files { get; init; }

    /// <summary>Stop right after the fetch (the commit is known bad and unchanged): the result has no desired state.</summary>
    public Func<FetchResult, bool>? Skip { get; init; }

    /// <summary>A desired state already loaded (and validated) for this fetch, to use instead of loading again.</summary>
    public Func<FetchResult, DesiredState?>? Reuse { get; init; }

    /// <summary>Preview namespace and pull-request number, when the commit is loaded as a preview.</summary>
    public string? PreviewNamespace { get; init; }

    public int? PreviewNumber { get; init; }

    /// <summary>Where phase timings go (metrics); null: not timed.</summary>
    public PhaseTimer? Timer { get; init; }
}
