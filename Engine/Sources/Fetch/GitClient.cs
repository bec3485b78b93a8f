using LibGit2Sharp;

namespace GitOrch.Engine.Sources.Fetch;

/// <summary>
/// The network side of Git (ls-remote, fetch, push) with a deadline on every call and error messages
/// that never carry credentials. libgit2 has no call timeout of its own, so a call runs on the thread
/// pool, progress callbacks abort it once the deadline passes, and the caller stops waiting at the
/// deadline even if the socket hangs without progress.
/// </summary>
public sealed class GitClient
{
    public Task<IReadOnlyList<RemoteRef>> ListAsync(Repository repo, string url, GitCredential? credential, TimeSpan timeout, CancellationToken cancellationToken)
        => RunAsync(url, credential, timeout, cancellationToken, _ =>
        {
            var refs = credential == null ? repo.Network.ListReferences(url) : repo.Network.ListReferences(url, credential.Handler);
            var list = new List<RemoteRef>();
            foreach (var r in refs)
            {
                var direct = r.ResolveToDirectReference();
                if (direct?.TargetIdentifier != null)
                {
                    list.Add(new RemoteRef(r.CanonicalName, direct.TargetIdentifier));
                }
            }

            return (IReadOnlyList<RemoteRef>)list;
        });

    public Task FetchAsync(Repository repo, string url, IReadOnlyList<string> refSpecs, GitCredential? credential, TimeSpan timeout, CancellationToken cancellationToken)
        => RunAsync(url, credential, timeout, cancellationToken, token =>
        {
            var options = new FetchOptions
            {
                CredentialsProvider = credential?.Handler,
                TagFetchMode = TagFetchMode.None,
                Prune = false,
                OnTransferProgress = _ => !token.IsCancellationRequested,
                OnProgress = _ => !token.IsCancellationRequested,
            };
            repo.Network.Fetch(RemoteFor(repo, "origin", url).Name, refSpecs, options);
            return true;
        });

    /// <summary>Pushes; a rejected update (non-fast-forward, protected branch) is a PushRejected error.</summary>
    public Task PushAsync(Repository repo, string url, string refSpec, GitCredential? credential, TimeSpan timeout, CancellationToken cancellationToken)
        => RunAsync(url, credential, timeout, cancellationToken, token =>
        {
            string? rejected = null;
            var remote = RemoteFor(repo, "origin", url);

            var options = new PushOptions
            {
                CredentialsProvider = credential?.Handler,
                OnPushStatusError = e => rejected = $"{e.Reference}: {e.Message}",
                OnPushTransferProgress = (_, _, _) => !token.IsCancellationRequested,
            };
            repo.Network.Push(remote, refSpec, options);
            if (rejected != null)
            {
                throw new GitFetchException("PushRejected", "push rejected: " + SecretScrubber.Scrub(rejected, credential?.Secrets));
            }

            return true;
        });

    /// <summary>The named remote, pointing at <paramref name="url"/> (a source's URL can change).</summary>
    private static Remote RemoteFor(Repository repo, string name, string url)
    {
        var remote = repo.Network.Remotes[name];
        if (remote == null)
        {
            return repo.Network.Remotes.Add(name, url, $"+refs/heads/*:refs/heads/*");
        }

        if (remote.Url != url || remote.PushUrl != url)
        {
            repo.Network.Remotes.Update(name, r =>
            {
                r.Url = url;
                r.PushUrl = url;
            });
            remote = repo.Network.Remotes[name];
        }

        return remote;
    }

    private static async Task<T> RunAsync<T>(string url, GitCredential? credential, TimeSpan timeout, CancellationToken cancellationToken, Func<CancellationToken, T> op)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var safeUrl = SecretScrubber.ScrubUrl(url);
        try
        {
            return await Task.Run(() => op(deadline.Token), CancellationToken.None).WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or UserCancelledException && !cancellationToken.IsCancellationRequested)
        {
            throw new GitFetchException("Timeout", $"{safeUrl}: no answer within {timeout.TotalSeconds:0.#}s");
        }
        catch (LibGit2SharpException e) when (e is not UserCancelledException)
        {
            var message = SecretScrubber.Scrub(e.Message, credential?.Secrets).Replace(safeUrl, "", StringComparison.Ordinal).Replace(url, "", StringComparison.Ordinal);
            var auth = System.Text.RegularExpressions.Regex.IsMatch(message, @"\b(401|403)\b|authenticat|credentials|too many redirects or authentication replays", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
            throw auth
                ? new GitFetchException("AuthenticationFailed", $"{safeUrl}: authentication failed ({(credential == null ? "no credentials given" : "check the secretRef's username/password or token")}): {message}")
                : new GitFetchException("FetchFailed", $"{safeUrl}: {message}");
        }
    }
}
