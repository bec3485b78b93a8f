using GitOrch.Api.Model;
using LibGit2Sharp;

namespace GitOrch.Engine.Sources.Fetch;

/// <summary>
/// Resolves a GitSource's ref (branch, tag, semver range, commit) against the remote and fetches only
/// that ref, and only when the cache does not already hold the commit: an unchanged branch costs one
/// ls-remote round trip.
/// </summary>
public sealed class SourceFetcher
{
    private readonly GitClient _git = new();

    public GitClient Git => _git;

    public Task<IReadOnlyList<RemoteRef>> ListAsync(SourceRepository cache, string url, GitCredential? credential, TimeSpan timeout, CancellationToken cancellationToken)
        => _git.ListAsync(cache.Repo, url, credential, timeout, cancellationToken);

    /// <summary>Fetches what the spec tracks.</summary>
    public async Task<FetchResult> FetchAsync(SourceRepository cache, GitSourceSpec spec, GitCredential? credential, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var r = spec.Ref ?? new GitSourceRef();
        if (!string.IsNullOrEmpty(r.Commit))
        {
            return await FetchCommitAsync(cache, spec.Url, (r.Commit, r.Branch), credential, timeout, cancellationToken).ConfigureAwait(false);
        }

        var refs = await ListAsync(cache, spec.Url, credential, timeout, cancellationToken).ConfigureAwait(false);
        RemoteRef? chosen;
        if (!string.IsNullOrEmpty(r.Tag))
        {
            chosen = FindTag(refs, r.Tag);
        }
        else if (!string.IsNullOrEmpty(r.Semver))
        {
            var range = SemverRange.Parse(r.Semver);
            chosen = refs.Where(x => x.Name.StartsWith("refs/tags/", StringComparison.Ordinal) && !x.Name.EndsWith("^{}", StringComparison.Ordinal))
                .Select(x => (Ref: x, V: SemverRange.ParseVersion(x.Name["refs/tags/".Length..])))
                .Where(x => x.V != null && range.Matches(x.V))
                .OrderByDescending(x => x.V)
                .Select(x => FindTag(refs, x.Ref.Name["refs/tags/".Length..]))
                .FirstOrDefault();
            if (chosen == null)
            {
                throw new GitFetchException("RefNotFound", $"no tag matches semver range \"{r.Semver}\"");
            }
        }
        else
        {
            var branch = string.IsNullOrEmpty(r.Branch) ? "main" : r.Branch;
            chosen = refs.FirstOrDefault(x => x.Name == "refs/heads/" + branch);
        }

        if (chosen == null)
        {
            throw new GitFetchException("RefNotFound", $"ref {Describe(r)} not found in {SecretScrubber.ScrubUrl(spec.Url)}");
        }

        return await FetchRefAsync(cache, spec.Url, chosen, credential, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Fetches any ref a person names for a plan: a commit sha, "refs/...", a branch or a tag name.
    /// </summary>
    public async Task<FetchResult> FetchAnyAsync(SourceRepository cache, string url, string reference, GitCredential? credential, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (reference.Length == 40 && reference.All(Uri.IsHexDigit))
        {
            return await FetchCommitAsync(cache, url, (reference, null), credential, timeout, cancellationToken).ConfigureAwait(false);
        }

        var refs = await ListAsync(cache, url, credential, timeout, cancellationToken).ConfigureAwait(false);
        var chosen = reference.StartsWith("refs/", StringComparison.Ordinal)
            ? refs.FirstOrDefault(x => x.Name == reference)
            : refs.FirstOrDefault(x => x.Name == "refs/heads/" + reference) ?? FindTag(refs, reference);
        if (chosen == null)
        {
            throw new GitFetchException("RefNotFound", $"ref \"{reference}\" not found in {SecretScrubber.ScrubUrl(url)}");
        }

        return await FetchRefAsync(cache, url, chosen, credential, timeout, cancellationToken).ConfigureAwait(false);
    }

    public async Task<FetchResult> FetchRefAsync(SourceRepository cache, string url, RemoteRef remoteRef, GitCredential? credential, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var name = remoteRef.Name.EndsWith("^{}", StringComparison.Ordinal) ? remoteRef.Name[..^3] : remoteRef.Name;
        var fetched = false;
        if (!cache.Has(remoteRef.Sha))
        {
            await _git.FetchAsync(cache.Repo, url, new[] { $"+{name}:{name}" }, credential, timeout, cancellationToken).ConfigureAwait(false);
            fetched = true;
        }

        var commit = cache.CommitOf(remoteRef.Sha) ?? throw new GitFetchException("RefNotFound", $"{name} ({remoteRef.Sha[..7]}) is not a commit");
        return new FetchResult(name, commit.Sha, fetched);
    }

    /// <summary>Fetches a pinned commit, through the branch that should contain it (all branches when none is named).</summary>
    private async Task<FetchResult> FetchCommitAsync(SourceRepository cache, string url, (string Sha, string? Branch) pinned, GitCredential? credential, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var (sha, branch) = pinned;
        if (!cache.Has(sha))
        {
            // Servers rarely allow fetching an arbitrary sha, so fetch the branch (or all branches) that should contain it.
            var spec = string.IsNullOrEmpty(branch) ? "+refs/heads/*:refs/heads/*" : $"+refs/heads/{branch}:refs/heads/{branch}";
            await _git.FetchAsync(cache.Repo, url, new[] { spec }, credential, timeout, cancellationToken).ConfigureAwait(false);
        }

        var commit = cache.CommitOf(sha) ?? throw new GitFetchException("RefNotFound", $"commit {sha} not found in {SecretScrubber.ScrubUrl(url)}");
        return new FetchResult(branch == null ? null : "refs/heads/" + branch, commit.Sha, true);
    }

    private static RemoteRef? FindTag(IReadOnlyList<RemoteRef> refs, string tag)
        => refs.FirstOrDefault(x => x.Name == $"refs/tags/{tag}^{{}}") ?? refs.FirstOrDefault(x => x.Name == "refs/tags/" + tag);

    private static string Describe(GitSourceRef r) => r.Tag != null ? "tag " + r.Tag : "branch " + (r.Branch ?? "main");
}
