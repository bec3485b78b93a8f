using GitOrch.Api.Model;
using GitOrch.Engine.Sources.Fetch;
using GitOrch.Engine.Store;
using LibGit2Sharp;

namespace GitOrch.Engine.Sources.Writing;

/// <summary>
/// Writes to a source's repository for pull-request driven changes: a commit of files, or the revert of a
/// commit, built in the bare cache (no working tree) and pushed with the source's credentials. Pushes are
/// never forced, so a branch that moved meanwhile is refused rather than overwritten.
/// </summary>
public sealed class GitWriter
{
    private readonly IObjectStore _store;
    private readonly SourceRepositories _repositories;
    private readonly SourceFetcher _fetcher;
    private readonly SourceOptions _options;
    private readonly TimeProvider _time;

    public GitWriter(IObjectStore store, SourceRepositories repositories, SourceFetcher fetcher, SourceOptions options, TimeProvider? time = null)
    {
        _store = store;
        _repositories = repositories;
        _fetcher = fetcher;
        _options = options;
        _time = time ?? TimeProvider.System;
    }

    public async Task<GitChangeResult> CommitAsync(string ns, string name, GitChangeRequest request, CancellationToken cancellationToken)
    {
        if (request.Files.Count == 0)
        {
            throw new ArgumentException("files is empty");
        }

        if (string.IsNullOrWhiteSpace(request.Message))
        {
            throw new ArgumentException("message is required");
        }

        foreach (var path in request.Files.Keys)
        {
            CheckPath(path);
        }

        var branch = string.IsNullOrEmpty(request.Branch) ? $"gitorch/change-{_time.GetUtcNow():yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}" : request.Branch;
        return await WriteAsync(new WriteTarget(ns, name, branch, request.Base, request.Parent, request.AuthorName, request.AuthorEmail), (repo, parent) =>
        {
            var tree = TreeDefinition.From(parent.Tree);
            foreach (var (path, content) in request.Files)
            {
                if (content == null)
                {
                    tree.Remove(path);
                }
                else
                {
                    var blob = repo.ObjectDatabase.CreateBlob(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)));
                    tree.Add(path, blob, Mode.NonExecutableFile);
                }
            }

            return (repo.ObjectDatabase.CreateTree(tree), request.Message);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<GitChangeResult> RevertAsync(string ns, string name, GitRevertRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Commit))
        {
            throw new ArgumentException("commit is required");
        }

        var source = GetSource(ns, name);
        var tracked = TrackedBranch(source);
        var branch = string.IsNullOrEmpty(request.Branch) ? tracked : request.Branch;
        return await WriteAsync(new WriteTarget(ns, name, branch, tracked, null, request.AuthorName, request.AuthorEmail), (repo, parent) =>
        {
            var target = ResolveCommit(repo, request.Commit);
            if (target.Parents.Count() != 1)
            {
                throw new GitFetchException("RevertFailed", $"commit {target.Sha[..7]} is a merge or root commit; revert it with git");
            }

            var merged = repo.ObjectDatabase.RevertCommit(target, parent, 0, new MergeTreeOptions());
            if (merged.Status != MergeTreeStatus.Succeeded)
            {
                throw new GitFetchException("RevertConflict", $"reverting {target.Sha[..7]} conflicts with later changes on {branch} ({merged.Conflicts.Count()} file(s))");
            }

            var message = request.Message ?? $"Revert \"{target.MessageShort}\"\n\nThis reverts commit {target.Sha}.";
            return (merged.Tree, message);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Where <see cref="WriteAsync"/> commits: the source, the branch (started from baseBranch, or the tracked one, when new), the parent it must be at, and the author.</summary>
    private sealed record WriteTarget(string Namespace, string Name, string Branch, string? BaseBranch, string? ExpectedParent, string? AuthorName, string? AuthorEmail);

    private async Task<GitChangeResult> WriteAsync(WriteTarget target, Func<Repository, Commit, (Tree Tree, string Message)> build, CancellationToken cancellationToken)
    {
        var (ns, name, branch, baseBranch, expectedParent, authorName, authorEmail) = target;
        CheckBranch(branch);
        var source = GetSource(ns, name);
        var spec = source.Spec!;
        var credential = SourceCredentials.Resolve(_store, ns, spec);
        var timeout = GoDuration.Parse(spec.Timeout, _options.DefaultTimeout);
        var cache = _repositories.Get(ns, name);
        await cache.Lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var refs = await _fetcher.ListAsync(cache, spec.Url, credential, timeout, cancellationToken).ConfigureAwait(false);
            var existing = refs.FirstOrDefault(r => r.Name == "refs/heads/" + branch);
            var from = existing ?? refs.FirstOrDefault(r => r.Name == "refs/heads/" + (baseBranch ?? TrackedBranch(source)))
                ?? throw new GitFetchException("RefNotFound", $"branch {baseBranch ?? TrackedBranch(source)} not found");
            await _fetcher.FetchRefAsync(cache, spec.Url, from, credential, timeout, cancellationToken).ConfigureAwait(false);
            var parent = cache.CommitOf(from.Sha)!;
            if (expectedParent != null && !parent.Sha.StartsWith(expectedParent, StringComparison.OrdinalIgnoreCase))
            {
                throw new GitFetchException("PushRejected", $"non-fast-forward: {branch} is at {parent.Sha[..7]}, not {expectedParent}; fetch and prepare the change again");
            }

            var (tree, message) = build(cache.Repo, parent);
            var signature = new Signature(authorName ?? "GitOrch", authorEmail ?? "gitorch@localhost", _time.GetUtcNow());
            var commit = cache.Repo.ObjectDatabase.CreateCommit(signature, signature, message, tree, new[] { parent }, prettifyMessage: true);
            var localRef = "refs/gitorch/push/" + branch;
            cache.Repo.Refs.Add(localRef, commit.Id, allowOverwrite: true);
            await _fetcher.Git.PushAsync(cache.Repo, spec.Url, $"{localRef}:refs/heads/{branch}", credential, timeout, cancellationToken).ConfigureAwait(false);
            return new GitChangeResult(branch, commit.Sha, existing == null);
        }
        finally
        {
            cache.Lock.Release();
        }
    }

    private GitSource GetSource(string ns, string name)
        => _store.Get<GitSource>(ns, name) is { Spec: not null } s ? s : throw StoreException.NotFound(ResourceKinds.GitSource, name);

    private static string TrackedBranch(GitSource source)
        => source.Spec?.Ref?.Branch is { Length: > 0 } b ? b : source.Spec?.Ref?.Tag == null && source.Spec?.Ref?.Semver == null ? "main" : throw new ArgumentException("the source tracks a tag; name a branch");

    private static Commit ResolveCommit(Repository repo, string sha)
    {
        var obj = ObjectId.TryParse(sha, out var id) ? repo.Lookup(id) : repo.Lookup(sha);
        return obj?.Peel<Commit>() ?? throw new GitFetchException("RefNotFound", $"commit {sha} not found on the branch");
    }

    private static void CheckPath(string path)
    {
        var parts = path.Split('/');
        if (path.Length == 0 || path.StartsWith('/') || path.Contains('\\', StringComparison.Ordinal) || parts.Any(p => p is "" or "." or ".." || p.Equals(".git", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException($"invalid file path \"{path}\": use a relative path without '..' or '.git'");
        }
    }

    private static void CheckBranch(string branch)
    {
        if (branch.StartsWith('-') || branch.Contains("..", StringComparison.Ordinal) || branch.Any(c => char.IsWhiteSpace(c) || c is '~' or '^' or ':' or '?' or '*' or '[' or '\\'))
        {
            throw new ArgumentException($"invalid branch name \"{branch}\"");
        }
    }
}
