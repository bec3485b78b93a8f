using System.Globalization;
using System.Text.RegularExpressions;
using GitOrch.Api.Model;
using GitOrch.Api.Retry;
using GitOrch.Engine.Sources.Applying;
using GitOrch.Engine.Sources.Fetch;
using GitOrch.Engine.Sources.Pipeline;
using GitOrch.Engine.Sources.Planning;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Sources.Previews;

/// <summary>
/// Pull-request previews: every remote ref matching the pattern (refs/pull/*/head, refs/merge-requests/*/head)
/// is applied into its own namespace &lt;prefix&gt;&lt;N&gt;, re-applied when the PR gets commits, and removed with
/// everything in it when the ref disappears or the forge reports the PR closed (<see cref="RecordPullRequest"/>; a
/// closed PR stays Closed until it is reopened or its ref moves). Cluster-scoped objects are skipped (a preview must not touch
/// what production shares); at most maxPreviews run, lowest PR numbers first.
/// </summary>
public sealed class PreviewReconciler(IObjectStore store, CommitPipeline pipeline, SourceOptions options, TimeProvider time)
{
    public const string Ready = "Ready";
    public const string Failed = "Failed";
    public const string Skipped = "Skipped";
    public const string Closed = "Closed";

    private readonly IObjectStore _store = store;
    private readonly CommitPipeline _pipeline = pipeline;
    private readonly SourceOptions _options = options;
    private readonly TimeProvider _time = time;

    /// <summary>Close/reopen notifications not yet reconciled, per source ("namespace/name") and PR number (true: open).</summary>
    private readonly Dictionary<string, Dictionary<int, bool>> _pullRequestEvents = new(StringComparer.Ordinal);

    /// <summary>Remembers a forge's closed/reopened notification for the next reconcile of the source (the webhook calls this, then triggers one).</summary>
    public void RecordPullRequest(string ns, string name, int number, bool open)
    {
        lock (_pullRequestEvents)
        {
            var key = ns + "/" + name;
            if (!_pullRequestEvents.TryGetValue(key, out var events))
            {
                _pullRequestEvents[key] = events = new Dictionary<int, bool>();
            }

            events[number] = open;
        }
    }

    private Dictionary<int, bool> TakePullRequestEvents(string ns, string name)
    {
        lock (_pullRequestEvents)
        {
            return _pullRequestEvents.Remove(ns + "/" + name, out var events) ? events : new Dictionary<int, bool>();
        }
    }

    private static bool Runs(PreviewStatus p) => p.State is not (Skipped or Closed);

    /// <summary>Brings previews in line with the remote; returns the new status list, or null when nothing changed.</summary>
    public async Task<List<PreviewStatus>?> ReconcileAsync(GitSource source, GitCredential? credential, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var ns = source.Metadata.Namespace!;
        var spec = source.Spec!;
        var cfg = spec.Previews;
        var existing = source.Status?.Previews ?? new List<PreviewStatus>();
        var cache = _pipeline.Repositories.Get(ns, source.Name);
        var matches = new List<(int Number, RemoteRef Ref)>();
        if (cfg?.Enabled == true)
        {
            var pattern = PatternRegex(cfg.RefPattern ?? "refs/pull/*/head");
            foreach (var r in await _pipeline.Fetcher.ListAsync(cache, spec.Url, credential, timeout, cancellationToken).ConfigureAwait(false))
            {
                var m = pattern.Match(r.Name);
                if (m.Success && int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                {
                    matches.Add((n, r));
                }
            }
        }

        matches.Sort((a, b) => a.Number.CompareTo(b.Number));
        var max = cfg?.MaxPreviews ?? _options.DefaultMaxPreviews;
        var prefix = cfg?.NamespacePrefix ?? source.Name + "-pr-";
        var result = new List<PreviewStatus>();
        var changed = false;
        var events = TakePullRequestEvents(ns, source.Name);
        foreach (var (number, remoteRef) in matches)
        {
            var previewNs = prefix + number.ToString(CultureInfo.InvariantCulture);
            var before = existing.FirstOrDefault(p => p.Number == number);
            var open = events.TryGetValue(number, out var o) ? o : (bool?)null;
            var stillClosed = before?.State == Closed && before.Commit == remoteRef.Sha;
            if (open == false || (open == null && stillClosed))
            {
                // Closed (the namespace goes with the loop below); a closed PR whose ref moves runs again.
                result.Add(stillClosed ? before! : new PreviewStatus { Number = number, Ref = remoteRef.Name, Commit = remoteRef.Sha, Namespace = previewNs, State = Closed, Message = "pull request closed" });
                changed |= !stillClosed;
                continue;
            }

            if (result.Count(Runs) >= max)
            {
                result.Add(new PreviewStatus { Number = number, Ref = remoteRef.Name, Commit = remoteRef.Sha, Namespace = previewNs, State = Skipped, Message = $"maxPreviews ({max}) reached" });
                changed |= before?.State != Skipped;
                continue;
            }

            if (before != null && before.Commit == remoteRef.Sha && before.State is Ready or Failed && before.Namespace == previewNs)
            {
                result.Add(before);
                continue;
            }

            try
            {
                result.Add(await DeployAsync(source, new PreviewTarget(number, remoteRef, previewNs, credential, timeout), cancellationToken).ConfigureAwait(false));
            }
            catch (StoreException e)
            {
                // An invalid prefix, a namespace being deleted, ...: this preview fails, the others go on.
                result.Add(new PreviewStatus { Number = number, Ref = remoteRef.Name, Commit = remoteRef.Sha, Namespace = previewNs, State = Failed, Message = e.Message });
            }

            changed = true;
        }

        foreach (var gone in existing.Where(p => Runs(p) && !result.Any(r => r.Number == p.Number && Runs(r))))
        {
            await DeleteNamespaceAsync(gone.Namespace, cancellationToken).ConfigureAwait(false);
            changed = true;
        }

        return changed ? result : null;
    }

    /// <summary>
    /// Removes every preview namespace of a source that no longer exists. Unlike production objects, which stay when
    /// their source is deleted, previews are throwaway copies nothing else can manage.
    /// </summary>
    public async Task RemoveAllAsync(string ns, string name, CancellationToken cancellationToken)
    {
        TakePullRequestEvents(ns, name);
        foreach (var previewNs in PreviewNamespaces().Where(n => n.Metadata.Label(SourceLabels.Source) == SourceLabels.SourceValue(ns, name)))
        {
            await DeleteNamespaceAsync(previewNs.Name, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The sources ("namespace/name") that preview namespaces belong to, so the controller can sweep orphans.</summary>
    public IEnumerable<string> PreviewOwners()
    {
        var owners = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in PreviewNamespaces().Select(n => n.Metadata.Label(SourceLabels.Source)))
        {
            // "<namespace>.<name>": a namespace name has no dots, so the first one separates them.
            var dot = value?.IndexOf('.', StringComparison.Ordinal) ?? -1;
            if (dot > 0)
            {
                owners.Add(value![..dot] + "/" + value[(dot + 1)..]);
            }
        }

        return owners;
    }

    private IEnumerable<Namespace> PreviewNamespaces()
        => _store.List<Namespace>(null, null, n => n.Metadata.Label(SourceLabels.Preview) != null && n.Metadata.DeletionTimestamp == null);

    /// <summary>One pull request's commit through the commit pipeline into its own namespace (which must exist before validation).</summary>
    private async Task<PreviewStatus> DeployAsync(GitSource source, PreviewTarget target, CancellationToken cancellationToken)
    {
        var ns = source.Metadata.Namespace!;
        var remoteRef = target.Ref;
        var status = new PreviewStatus { Number = target.Number, Ref = remoteRef.Name, Commit = remoteRef.Sha, Namespace = target.Namespace };
        var loaded = await _pipeline.LoadAsync(new CommitRequest
        {
            Namespace = ns,
            Name = source.Name,
            Spec = source.Spec!,
            Fetch = (fetcher, cache, ct) => fetcher.FetchRefAsync(cache, source.Spec!.Url, remoteRef, target.Credential, target.Timeout, ct),
            PreviewNamespace = target.Namespace,
            PreviewNumber = target.Number,
        }, cancellationToken).ConfigureAwait(false);
        var desired = loaded.Desired!;
        var numberText = target.Number.ToString(CultureInfo.InvariantCulture);
        await EnsureNamespaceAsync(target.Namespace, SourceLabels.SourceValue(ns, source.Name), numberText, cancellationToken).ConfigureAwait(false);
        _pipeline.Validate(desired);
        if (!desired.IsValid)
        {
            status.State = Failed;
            status.Message = $"{desired.Errors.Count} error(s), nothing applied: " + string.Join("; ", desired.Errors.Take(20));
            return status;
        }

        foreach (var d in desired.Objects)
        {
            (d.Object.Metadata.Annotations ??= new())[SourceLabels.Hash] = d.Hash;
        }

        var live = _pipeline.LiveForPreview(ns, source.Name, target.Namespace, numberText);
        var plan = CommitPipeline.Plan(desired, live, new PlanInputs(live.Entries(), Prune: true, remoteRef.Name));
        try
        {
            await Applier.ApplyAsync(_store, plan, remoteRef.Sha, cancellationToken).ConfigureAwait(false);
            status.State = Ready;
            status.Message = $"{plan.Creates} created, {plan.Updates} updated, {plan.Deletes} deleted" + (desired.Warnings.Count > 0 ? "; " + string.Join("; ", desired.Warnings.Take(10)) : "");
        }
        catch (ApplyException e)
        {
            status.State = Failed;
            status.Message = e.Message;
        }

        return status;
    }

    private async Task EnsureNamespaceAsync(string name, string sourceLabel, string number, CancellationToken cancellationToken)
    {
        if (_store.Get(ResourceKinds.Namespace, null, name) != null)
        {
            return;
        }

        var nsObj = new Namespace
        {
            ApiVersion = ResourceKinds.Namespace.ApiVersion,
            Kind = ResourceKinds.Namespace.Kind,
            Metadata = new ObjectMeta { Name = name, Labels = new() { [SourceLabels.Source] = sourceLabel, [SourceLabels.Preview] = number } },
        };
        try
        {
            await _store.CreateAsync(nsObj, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreException e) when (e.IsAlreadyExists)
        {
        }
    }

    /// <summary>
    /// Marks the namespace Terminating first (no new content can be created in it), deletes everything in it,
    /// then releases the namespace finalizer, since the contents are already gone.
    /// </summary>
    private async Task DeleteNamespaceAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await _store.DeleteAsync(ResourceKinds.Namespace, null, name, null, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreException e) when (e.IsNotFound)
        {
            return;
        }

        foreach (var kind in ResourceKinds.All.Where(k => k.Namespaced).OrderByDescending(k => ApplyOrder.Of(k)))
        {
            var page = _store.ListPage(kind, name, null, null, 0, null);
            foreach (var item in page.Items)
            {
                try
                {
                    await _store.DeleteAsync(kind, name, item.Name, new DeleteOptions { PropagationPolicy = "Background" }, cancellationToken).ConfigureAwait(false);
                }
                catch (StoreException e) when (e.IsNotFound)
                {
                }
            }
        }

        await ReleaseNamespaceFinalizerAsync(name, cancellationToken).ConfigureAwait(false);
    }

    private Task ReleaseNamespaceFinalizerAsync(string name, CancellationToken cancellationToken)
        => ConflictRetry.RunAsync(e => e is StoreException { IsConflict: true }, async ct =>
        {
            var nsObj = _store.Get<Namespace>(null, name);
            if (nsObj == null || nsObj.Metadata.Finalizers == null || nsObj.Metadata.Finalizers.Count == 0)
            {
                return;
            }

            nsObj.Metadata.Finalizers.Remove("kubernetes");
            try
            {
                await _store.UpdateAsync(nsObj, ct).ConfigureAwait(false);
            }
            catch (StoreException e) when (e.IsNotFound)
            {
            }
        }, cancellationToken);

    private static Regex PatternRegex(string pattern)
        => new("^" + Regex.Escape(pattern).Replace("\\*", "([0-9]+)", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}
