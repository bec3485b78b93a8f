using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using GitOrch.Api.Client;
using GitOrch.Api.Model;
using GitOrch.Module.Connection;

namespace GitOrch.Module.Infrastructure;

/// <summary>
/// Base of every GitOrch cmdlet: the body is async and runs on the pipeline thread (so it may write output after
/// an await), Ctrl+C (<see cref="StopProcessing"/>) cancels <see cref="CancellationToken"/> and with it the request
/// in flight, progress bars it opened are always completed, and API/transport failures become terminating
/// errors with stable ids (see <see cref="GitOrchErrors"/>).
/// </summary>
public abstract partial class GitOrchCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<int, ProgressRecord> _openProgress = new();
    private GitOrchContext? _context;
    private bool _describedContext;

    protected CancellationToken CancellationToken => _stopping.Token;

    /// <summary>Target of a failure that escapes the body (the name being worked on).</summary>
    protected object? ErrorTarget { get; set; }

    internal GitOrchContext Context => _context ??= ContextResolver.Resolve();

    internal GitOrchClient Client => ClientCache.For(Context);

    /// <summary>The given namespace, or the context's (default "default").</summary>
    protected string NamespaceOrDefault(string? ns) => string.IsNullOrEmpty(ns) ? Context.Namespace : ns!;

    protected virtual Task BeginProcessingAsync() => Task.CompletedTask;

    protected virtual Task ProcessRecordAsync() => Task.CompletedTask;

    protected virtual Task EndProcessingAsync() => Task.CompletedTask;

    protected sealed override void BeginProcessing() => Run(BeginProcessingAsync);

    protected sealed override void ProcessRecord() => Run(ProcessRecordAsync);

    protected sealed override void EndProcessing() => Run(EndProcessingAsync);

    protected override void StopProcessing() => _stopping.Cancel();

    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// ShouldProcess for destructive cmdlets with -Force (Az style): -Force answers the confirmation prompt
    /// (ConfirmImpact High asks by default) so scripts and pwsh -NonInteractive can delete, but -WhatIf still
    /// only reports.
    /// </summary>
    protected bool ShouldProcessUnlessForced(bool force, string target, string action)
    {
        if (!force || WhatIfRequested)
        {
            return ShouldProcess(target, action);
        }

        WriteVerbose($"Performing the operation \"{action}\" on target \"{target}\" (-Force).");
        return true;
    }

    private bool WhatIfRequested
        => (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && w is SwitchParameter { IsPresent: true })
           || (!MyInvocation.BoundParameters.ContainsKey("WhatIf") && LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference")));

    /// <summary>Use as <c>throw Terminate(record)</c> inside an async body.</summary>
    internal static Exception Terminate(ErrorRecord record) => new TerminatingErrorException(record);

    /// <summary>Writes a progress record and remembers open activities so they are completed whatever happens.</summary>
    protected void WriteProgressRecord(ProgressRecord record)
    {
        if (record.RecordType == ProgressRecordType.Completed)
        {
            _openProgress.Remove(record.ActivityId);
        }
        else
        {
            _openProgress[record.ActivityId] = record;
        }

        WriteProgress(record);
    }

    protected void CompleteProgress(int activityId)
    {
        if (_openProgress.TryGetValue(activityId, out var open))
        {
            _openProgress.Remove(activityId);
            var done = new ProgressRecord(open.ActivityId, open.Activity, string.IsNullOrEmpty(open.StatusDescription) ? "Done" : open.StatusDescription)
            {
                RecordType = ProgressRecordType.Completed,
                PercentComplete = 100,
            };
            WriteProgress(done);
        }
    }

    /// <summary>
    /// Objects of a kind by name: literal names are fetched (a missing one is a non-terminating ObjectNotFound
    /// error), wildcard patterns filter one list (no match writes nothing, as Get-ChildItem does), no names lists all.
    /// <paramref name="ns"/> null means all namespaces.
    /// </summary>
    internal async Task<List<T>> ResolveAsync<T>(string[]? names, string? ns, string? labelSelector = null, string? fieldSelector = null)
        where T : KubeObject
    {
        var kind = ResourceKinds.Of<T>();
        var result = new List<T>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(T item)
        {
            if (seen.Add(item.Metadata.Uid ?? item.Namespace + "/" + item.Name))
            {
                result.Add(item);
            }
        }

        List<T>? listed = null;
        async Task<List<T>> List()
            => listed ??= (await Client.ListAsync<T>(kind.Namespaced ? ns : null, labelSelector, fieldSelector, CancellationToken)).Items;

        if (names == null || names.Length == 0)
        {
            foreach (var item in await List())
            {
                Add(item);
            }

            return result;
        }

        foreach (var name in names)
        {
            if (WildcardPattern.ContainsWildcardCharacters(name))
            {
                var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                foreach (var item in (await List()).Where(i => pattern.IsMatch(i.Name)))
                {
                    Add(item);
                }

                continue;
            }

            // A literal name with selectors, or across all namespaces, is a filter over the list; otherwise one GET.
            T? found;
            if (labelSelector != null || fieldSelector != null || (kind.Namespaced && ns == null))
            {
                var matches = (await List()).Where(i => string.Equals(i.Name, name, StringComparison.Ordinal)).ToList();
                matches.ForEach(Add);
                found = matches.FirstOrDefault();
            }
            else
            {
                found = await Client.TryGetAsync<T>(kind.Namespaced ? ns : null, name, CancellationToken);
                if (found != null)
                {
                    Add(found);
                }
            }

            if (found == null)
            {
                WriteError(GitOrchErrors.NotFound(kind, name, ns));
            }
        }

        return result;
    }

    /// <summary>Runs an API call for one named object; a NotFound answer becomes a non-terminating ObjectNotFound error and null.</summary>
    internal async Task<TResult?> ForObjectAsync<TResult>(ResourceKind kind, string name, string? ns, Func<Task<TResult>> call)
        where TResult : class
    {
        try
        {
            return await call();
        }
        catch (GitOrchApiException e) when (e.IsNotFound)
        {
            WriteError(GitOrchErrors.NotFound(kind, name, ns));
            return null;
        }
    }

    private void Run(Func<Task> body)
    {
        ErrorRecord? failure = null;
        try
        {
            PipelineSynchronizationContext.Run(() => WithVerboseRequests(body));
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (TerminatingErrorException t)
        {
            failure = t.Record;
        }
        catch (Exception e) when (e is GitOrchApiException or HttpRequestException or OperationCanceledException or InvalidDataException)
        {
            failure = GitOrchErrors.FromException(e, ErrorTarget, _context?.Server);
        }
        finally
        {
            CompleteOpenProgress();
        }

        if (failure != null)
        {
            ThrowTerminatingError(failure);
        }
    }

    /// <summary>
    /// With -Verbose: which server, context and namespace the cmdlet uses (once), then one line per request.
    /// Request lines are posted to the pipeline thread (WriteVerbose is only allowed there); a line that arrives
    /// after the body finished (a cancelled call) is dropped.
    /// </summary>
    private async Task WithVerboseRequests(Func<Task> body)
    {
        var verbose = MyInvocation.BoundParameters.TryGetValue("Verbose", out var v)
            ? v is SwitchParameter { IsPresent: true }
            : GetVariableValue("VerbosePreference") is ActionPreference p && p != ActionPreference.SilentlyContinue && p != ActionPreference.Ignore;
        if (!verbose)
        {
            await body();
            return;
        }

        if (!_describedContext)
        {
            _describedContext = true;
            try
            {
                var c = Context;
                WriteVerbose($"GitOrch server {c.Server} (context from {c.Origin}, token from {c.TokenSource}), namespace {c.Namespace}.");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                // Resolving the context fails again, with its own error, where the body needs it.
            }
        }

        var pipeline = SynchronizationContext.Current;
        var thread = Environment.CurrentManagedThreadId;
        var running = true;
        void Write(string line)
        {
            if (running && Environment.CurrentManagedThreadId == thread)
            {
                WriteVerbose(line);
            }
        }

        // A request that completes without going async reports on the pipeline thread itself: write at once.
        RequestLog.Sink = line =>
        {
            if (Environment.CurrentManagedThreadId == thread)
            {
                Write(line);
            }
            else
            {
                pipeline?.Post(_ => Write(line), null);
            }
        };
        try
        {
            await body();
        }
        finally
        {
            running = false;
            RequestLog.Sink = null;
        }
    }

    private void CompleteOpenProgress()
    {
        foreach (var id in _openProgress.Keys.ToList())
        {
            try
            {
                CompleteProgress(id);
            }
            catch (PipelineStoppedException)
            {
                // Stopping: the host tears the bar down itself.
                _openProgress.Clear();
                return;
            }
        }
    }
}
