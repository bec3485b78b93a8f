using System.Globalization;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;
using GitOrch.Engine.Controllers.Common;
using GitOrch.Engine.Controllers.ReplicaSets;
using GitOrch.Engine.Runtime;
using GitOrch.Engine.Events;
using GitOrch.Engine.Store;
using Microsoft.Extensions.Logging;

namespace GitOrch.Engine.Controllers.Jobs;

/// <summary>
/// Runs a Job's Pods to completion: keeps up to spec.parallelism Pods running until spec.completions of them succeeded
/// (NonIndexed) or every index 0..completions-1 succeeded once (Indexed); retries failures with exponential backoff until
/// spec.backoffLimit is passed (Failed, BackoffLimitExceeded); stops everything at activeDeadlineSeconds (Failed,
/// DeadlineExceeded); and deletes the finished Job ttlSecondsAfterFinished later. Counts come from the Pods that exist:
/// finished Pods are left in place (as Kubernetes does) so their logs stay readable and the counts stay right.
/// </summary>
public sealed partial class JobReconciler(IObjectStore store, SharedInformers informers, IEventRecorder events, TimeProvider time, ControllerOptions controllerOptions, ILogger<JobReconciler> logger, JobOptions? options = null) : IReconciler
{
    private readonly IObjectStore _store = store;
    private readonly Informer<Job> _jobs = informers.Get<Job>();
    private readonly Informer<Pod> _pods = informers.Get<Pod>();
    private readonly IEventRecorder _events = events;
    private readonly TimeProvider _time = time;
    private readonly JobOptions _options = options ?? new JobOptions();
    private readonly ControllerOptions _controllerOptions = controllerOptions;
    private readonly ILogger<JobReconciler> _logger = logger;

    public string Name => "job";

    public ResourceKind Kind => ResourceKinds.Job;

    public void Watch(ControllerWiring wiring)
    {
        wiring.For(_jobs).Owns(_pods, "Job");
    }

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var job = _jobs.Get(key);
        if (job == null || job.Metadata.DeletionTimestamp != null)
        {
            return ReconcileResult.Done;
        }

        var now = _time.GetUtcNow();
        var pods = _pods.ByIndex(WellKnownIndexes.ControllerUid, job.Metadata.Uid!);
        var active = pods.Where(PodState.IsActive).ToList();
        if (IsFinished(job))
        {
            return await FinishedAsync(job, active, now, cancellationToken).ConfigureAwait(false);
        }

        var spec = job.Spec ?? new JobSpec();
        var status = job.Status == null ? new JobStatus() : Copy(job.Status);
        if (spec.Suspend == true)
        {
            return await SuspendAsync(job, status, active, now, cancellationToken).ConfigureAwait(false);
        }

        if (Conditions.IsTrue(status.Conditions, ConditionTypes.Suspended))
        {
            // Resumed: the deadline counts from now, as in Kubernetes.
            var conditions = status.Conditions ??= new List<Condition>();
            Conditions.Set(conditions, new Condition { Type = ConditionTypes.Suspended, Status = ConditionStatus.False, Reason = "JobResumed", Message = "Job resumed" }, now);
            status.StartTime = null;
            _events.Record(job, EventTypes.Normal, "Resumed", "Job resumed");
        }

        status.StartTime ??= now;
        var indexed = spec.CompletionMode == "Indexed";
        var completions = spec.Completions ?? (spec.Parallelism == null ? 1 : (int?)null);
        var parallelism = Math.Max(0, spec.Parallelism ?? 1);
        var backoffLimit = spec.BackoffLimit ?? _options.DefaultBackoffLimit;

        var succeededPods = pods.Where(p => p.Status?.Phase == PodPhases.Succeeded).ToList();
        var failedPods = pods.Where(p => p.Status?.Phase == PodPhases.Failed).ToList();

        // Counts never go down: a finished Pod deleted by someone else must not make the Job run its work again.
        var succeeded = Math.Max(status.Succeeded ?? 0, succeededPods.Count);
        var failed = Math.Max(status.Failed ?? 0, failedPods.Count);
        var doneIndexes = CompletedIndexes.Parse(status.CompletedIndexes);
        if (indexed && completions is { } n)
        {
            foreach (var p in succeededPods)
            {
                if (IndexOf(p) is { } i && i < n)
                {
                    doneIndexes.Add(i);
                }
            }

            succeeded = doneIndexes.Count;
            status.CompletedIndexes = CompletedIndexes.Format(doneIndexes);
        }

        status.Succeeded = NullIfZero(succeeded);
        status.Failed = NullIfZero(failed);

        // Failure first: a Job past its deadline or its retries stops, even if a Pod would still have succeeded.
        string? failReason = null, failMessage = null;
        if (spec.ActiveDeadlineSeconds is { } deadline && now >= status.StartTime.Value + TimeSpan.FromSeconds(deadline))
        {
            (failReason, failMessage) = ("DeadlineExceeded", "Job was active longer than specified deadline");
        }
        else if (failed > backoffLimit || PastBackoffLimitOnFailure(spec, active, backoffLimit))
        {
            (failReason, failMessage) = ("BackoffLimitExceeded", "Job has reached the specified backoff limit");
        }

        if (failReason != null)
        {
            await DeletePodsAsync(job, active, cancellationToken).ConfigureAwait(false);
            var conditions = status.Conditions ??= new List<Condition>();
            Conditions.Set(conditions, new Condition { Type = ConditionTypes.Failed, Status = ConditionStatus.True, Reason = failReason, Message = failMessage }, now);
            status.Active = null;
            status.Ready = 0;
            _events.Record(job, EventTypes.Warning, failReason, failMessage!);
            Log.Failed(_logger, job.Metadata.Name!, failReason);
            await WriteStatusAsync(job, status, cancellationToken).ConfigureAwait(false);
            return TtlResult(job, now, now);
        }

        var complete = completions is { } c ? succeeded >= c : succeeded > 0 && active.Count == 0;
        if (complete)
        {
            await DeletePodsAsync(job, active, cancellationToken).ConfigureAwait(false);
            var conditions = status.Conditions ??= new List<Condition>();
            Conditions.Set(conditions, new Condition { Type = ConditionTypes.Complete, Status = ConditionStatus.True, Reason = "CompletionsReached", Message = "Reached expected number of succeeded pods" }, now);
            status.CompletionTime = now;
            status.Active = null;
            status.Ready = 0;
            _events.Record(job, EventTypes.Normal, "Completed", "Job completed");
            Log.Completed(_logger, job.Metadata.Name!, succeeded);
            await WriteStatusAsync(job, status, cancellationToken).ConfigureAwait(false);
            return TtlResult(job, now, now);
        }

        var result = ReconcileResult.Done;
        if (spec.ActiveDeadlineSeconds is { } ads)
        {
            result = ReconcileResult.After(status.StartTime.Value + TimeSpan.FromSeconds(ads) - now);
        }

        active = await TrimAsync(job, active, new TrimPlan(indexed ? doneIndexes : null, completions, parallelism, succeeded), cancellationToken).ConfigureAwait(false);
        var toCreate = indexed && completions is { } total
            ? PendingIndexes(total, doneIndexes, active).Take(Math.Max(0, parallelism - active.Count)).ToList()
            : Enumerable.Repeat(-1, Math.Max(0, Wanted(completions, parallelism, succeeded) - active.Count)).ToList();

        if (toCreate.Count > 0)
        {
            var wait = BackoffRemaining(failedPods, succeededPods, now);
            if (wait > TimeSpan.Zero)
            {
                result = result.Min(ReconcileResult.After(wait));
            }
            else
            {
                var created = await CreatePodsAsync(job, toCreate, cancellationToken).ConfigureAwait(false);
                active.AddRange(created);
            }
        }

        status.Active = NullIfZero(active.Count);
        status.Ready = active.Count(PodState.IsReady);
        await WriteStatusAsync(job, status, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public static bool IsFinished(Job job)
        => job.Status?.Conditions?.Any(c => c.Type is ConditionTypes.Complete or ConditionTypes.Failed && c.Status == ConditionStatus.True) == true;

    /// <summary>When the Job finished (Complete or Failed turned true), or null while it runs.</summary>
    public static DateTimeOffset? FinishedAt(Job job)
    {
        if (job.Status?.CompletionTime is { } t)
        {
            return t;
        }

        return job.Status?.Conditions?.FirstOrDefault(c => c.Type is ConditionTypes.Complete or ConditionTypes.Failed && c.Status == ConditionStatus.True)?.LastTransitionTime;
    }

    private async Task<ReconcileResult> FinishedAsync(Job job, List<Pod> active, DateTimeOffset now, CancellationToken ct)
    {
        // A finished Job runs nothing: Pods still active (created just before it finished) are stopped.
        await DeletePodsAsync(job, active, ct).ConfigureAwait(false);
        var ttl = job.Spec?.TtlSecondsAfterFinished;
        if (ttl == null)
        {
            return ReconcileResult.Done;
        }

        var expires = (FinishedAt(job) ?? now) + TimeSpan.FromSeconds(ttl.Value);
        if (expires > now)
        {
            return ReconcileResult.After(expires - now);
        }

        try
        {
            // Background propagation: the garbage collector removes the Job's Pods after it.
            await _store.DeleteAsync(ResourceKinds.Job, job.Metadata.Namespace, job.Metadata.Name!, new DeleteOptions { Uid = job.Metadata.Uid, PropagationPolicy = "Background" }, ct).ConfigureAwait(false);
            Log.Expired(_logger, job.Metadata.Name!, ttl.Value);
        }
        catch (StoreException e) when (e.IsNotFound)
        {
        }

        return ReconcileResult.Done;
    }

    private ReconcileResult TtlResult(Job job, DateTimeOffset finishedAt, DateTimeOffset now)
        => job.Spec?.TtlSecondsAfterFinished is { } ttl ? ReconcileResult.After(finishedAt + TimeSpan.FromSeconds(ttl) - now) : ReconcileResult.Done;

    private async Task<ReconcileResult> SuspendAsync(Job job, JobStatus status, List<Pod> active, DateTimeOffset now, CancellationToken ct)
    {
        await DeletePodsAsync(job, active, ct).ConfigureAwait(false);
        var conditions = status.Conditions ??= new List<Condition>();
        if (Conditions.Set(conditions, new Condition { Type = ConditionTypes.Suspended, Status = ConditionStatus.True, Reason = "JobSuspended", Message = "Job suspended" }, now))
        {
            _events.Record(job, EventTypes.Normal, "Suspended", "Job suspended");
        }

        status.Active = null;
        status.Ready = 0;
        await WriteStatusAsync(job, status, ct).ConfigureAwait(false);
        return ReconcileResult.Done;
    }

    private static int Wanted(int? completions, int parallelism, int succeeded)
    {
        if (completions is { } c)
        {
            return Math.Min(parallelism, Math.Max(0, c - succeeded));
        }

        // A work queue (completions unset): once one Pod succeeded the work is done; no new Pods start.
        return succeeded > 0 ? 0 : parallelism;
    }

    /// <summary>OnFailure Pods fail in place (containers restart): their restarts count against the limit, as in Kubernetes.</summary>
    private static bool PastBackoffLimitOnFailure(JobSpec spec, List<Pod> active, int backoffLimit)
    {
        if (spec.Template?.Spec?.RestartPolicy != "OnFailure")
        {
            return false;
        }

        var restarts = active.Sum(p => (p.Status?.ContainerStatuses?.Sum(s => s.RestartCount) ?? 0) + (p.Status?.InitContainerStatuses?.Sum(s => s.RestartCount) ?? 0));
        return backoffLimit == 0 ? restarts > 0 : restarts >= backoffLimit;
    }

    /// <summary>How long to hold off the next Pod: base * 2^(failures since the last success - 1) after the last failure, capped.</summary>
    private TimeSpan BackoffRemaining(List<Pod> failedPods, List<Pod> succeededPods, DateTimeOffset now)
    {
        var lastSuccess = succeededPods.Count == 0 ? DateTimeOffset.MinValue : succeededPods.Max(FinishTime);
        var failures = failedPods.Select(FinishTime).Where(t => t > lastSuccess).ToList();
        if (failures.Count == 0)
        {
            return TimeSpan.Zero;
        }

        var due = failures.Max() + _options.Backoff(failures.Count);
        return due > now ? due - now : TimeSpan.Zero;
    }

    /// <summary>When a Pod finished: its last container's exit, else its last condition change, else its creation.</summary>
    private static DateTimeOffset FinishTime(Pod pod)
    {
        var finished = pod.Status?.ContainerStatuses?.Select(s => s.State?.Terminated?.FinishedAt).Where(t => t != null).Max();
        if (finished != null)
        {
            return finished.Value;
        }

        var changed = pod.Status?.Conditions?.Select(c => c.LastTransitionTime).Where(t => t != null).Max();
        return changed ?? pod.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue;
    }

    private static IEnumerable<int> PendingIndexes(int completions, SortedSet<int> done, List<Pod> active)
    {
        var running = active.Select(IndexOf).Where(i => i != null).Select(i => i!.Value).ToHashSet();
        for (var i = 0; i < completions; i++)
        {
            if (!done.Contains(i) && !running.Contains(i))
            {
                yield return i;
            }
        }
    }

    /// <summary>What <see cref="TrimAsync"/> measures the active Pods against (done: the completed indexes, Indexed Jobs only).</summary>
    private sealed record TrimPlan(SortedSet<int>? Done, int? Completions, int Parallelism, int Succeeded);

    /// <summary>Deletes active Pods beyond what the Job needs: Indexed, those with a finished, duplicate or out-of-range index; then any surplus, cheapest first.</summary>
    private async Task<List<Pod>> TrimAsync(Job job, List<Pod> active, TrimPlan plan, CancellationToken ct)
    {
        var (done, completions, parallelism, succeeded) = plan;
        var surplus = new List<Pod>();
        var keep = new List<Pod>();
        if (done != null && completions is { } n)
        {
            var seen = new HashSet<int>();
            foreach (var p in active.OrderBy(p => p.Metadata.CreationTimestamp))
            {
                if (IndexOf(p) is { } i && i < n && !done.Contains(i) && seen.Add(i))
                {
                    keep.Add(p);
                }
                else
                {
                    surplus.Add(p);
                }
            }

            var over = keep.Count - parallelism;
            if (over > 0)
            {
                var victims = keep.OrderBy(p => p, DeletionOrder.Instance).Take(over).ToList();
                surplus.AddRange(victims);
                keep = keep.Except(victims).ToList();
            }
        }
        else
        {
            var want = Wanted(completions, parallelism, succeeded);

            // A work queue never shrinks by deletion: its running Pods finish their share of the work.
            var over = completions == null ? 0 : active.Count - want;
            keep = active;
            if (over > 0)
            {
                surplus = active.OrderBy(p => p, DeletionOrder.Instance).Take(over).ToList();
                keep = active.Except(surplus).ToList();
            }
        }

        await DeletePodsAsync(job, surplus, ct).ConfigureAwait(false);
        return keep;
    }

    private async Task<List<Pod>> CreatePodsAsync(Job job, List<int> indexes, CancellationToken ct)
    {
        var name = job.Metadata.Name!;
        var writes = new List<StoreWrite>(indexes.Count);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var index in indexes)
        {
            var prefix = index < 0 ? name : name + "-" + index.ToString(CultureInfo.InvariantCulture);
            prefix = (prefix.Length > 57 ? prefix[..57] : prefix) + "-";
            string podName;
            do
            {
                podName = NameGenerator.Generate(prefix);
            }
            while (!taken.Add(podName) || _pods.Get(job.Metadata.Namespace, podName) != null);

            writes.Add(new StoreWrite(StoreVerb.Create, NewPod(job, podName, index)));
        }

        var written = await _store.CommitAsync(writes, ct).ConfigureAwait(false);
        _events.Record(job, EventTypes.Normal, "SuccessfulCreate", writes.Count == 1 ? $"Created pod: {writes[0].Object.Metadata.Name}" : $"Created {writes.Count} pods");
        await _pods.WaitForRevisionAsync(Revisions.Max(written), _controllerOptions.CacheSyncTimeout, ct).ConfigureAwait(false);
        return written.OfType<Pod>().ToList();
    }

    private static Pod NewPod(Job job, string podName, int index)
    {
        var labels = new Dictionary<string, string>
        {
            [JobLabels.ControllerUid] = job.Metadata.Uid!,
            [JobLabels.JobName] = job.Metadata.Name!,
            [JobLabels.LegacyControllerUid] = job.Metadata.Uid!,
            [JobLabels.LegacyJobName] = job.Metadata.Name!,
        };
        if (index >= 0)
        {
            labels[JobLabels.CompletionIndex] = index.ToString(CultureInfo.InvariantCulture);
        }

        var pod = PodTemplates.NewPod(job, job.Spec?.Template, podName, labels);
        pod.Spec!.RestartPolicy ??= "Never";
        if (index >= 0)
        {
            var text = index.ToString(CultureInfo.InvariantCulture);
            (pod.Metadata.Annotations ??= new())[JobLabels.CompletionIndex] = text;

            // A literal value rather than Kubernetes' fieldRef to the annotation: the agent needs no downward-API support for it.
            foreach (var c in pod.Spec.Containers.Concat(pod.Spec.InitContainers ?? new List<Container>()))
            {
                c.Env ??= new List<EnvVar>();
                c.Env.RemoveAll(e => e.Name == JobLabels.CompletionIndexEnv);
                c.Env.Insert(0, new EnvVar { Name = JobLabels.CompletionIndexEnv, Value = text });
            }

            // Indexed Pods get a stable hostname, as in Kubernetes, so peers can find "<job>-<index>.<subdomain>".
            pod.Spec.Hostname ??= $"{job.Metadata.Name}-{text}";
        }

        return pod;
    }

    public static int? IndexOf(Pod pod)
    {
        var text = pod.Metadata.Annotation(JobLabels.CompletionIndex) ?? pod.Metadata.Label(JobLabels.CompletionIndex);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : null;
    }

    private async Task DeletePodsAsync(Job job, List<Pod> pods, CancellationToken ct)
    {
        var live = pods.Where(p => p.Metadata.DeletionTimestamp == null).ToList();
        if (live.Count == 0)
        {
            return;
        }

        var writes = live.Select(p => new StoreWrite(StoreVerb.Delete, p, new DeleteOptions { Uid = p.Metadata.Uid })).ToList();
        var written = await _store.CommitAsync(writes, ct).ConfigureAwait(false);
        _events.Record(job, EventTypes.Normal, "SuccessfulDelete", live.Count == 1 ? $"Deleted pod: {live[0].Metadata.Name}" : $"Deleted {live.Count} pods");
        await _pods.WaitForRevisionAsync(Revisions.Max(written), _controllerOptions.CacheSyncTimeout, ct).ConfigureAwait(false);
    }

    private async Task WriteStatusAsync(Job job, JobStatus status, CancellationToken ct)
    {
        if (job.Status != null && PodTemplates.SameJson(job.Status, status))
        {
            return;
        }

        var copy = KubeJson.Clone(job);
        copy.Metadata.ResourceVersion = null;
        copy.Status = status;
        try
        {
            var written = await _store.UpdateStatusAsync(copy, ct).ConfigureAwait(false);
            await _jobs.WaitForRevisionAsync(Revisions.Of(written), _controllerOptions.CacheSyncTimeout, ct).ConfigureAwait(false);
        }
        catch (StoreException e) when (e.IsNotFound)
        {
        }
    }

    private static JobStatus Copy(JobStatus status) => KubeJson.Clone(status);

    private static int? NullIfZero(int n) => n == 0 ? null : n;

    private static partial class Log
    {
        [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "Job {Job} completed with {Succeeded} succeeded pods")]
        public static partial void Completed(ILogger logger, string job, int succeeded);

        [LoggerMessage(EventId = 2302, Level = LogLevel.Information, Message = "Job {Job} failed: {Reason}")]
        public static partial void Failed(ILogger logger, string job, string reason);

        [LoggerMessage(EventId = 2303, Level = LogLevel.Information, Message = "Job {Job} deleted {Ttl} s after it finished (ttlSecondsAfterFinished)")]
        public static partial void Expired(ILogger logger, string job, int ttl);
    }
}
