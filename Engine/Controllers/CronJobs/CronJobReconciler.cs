using System.Globalization;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;
using GitOrch.Engine.Controllers.Common;
using GitOrch.Engine.Controllers.Jobs;
using GitOrch.Engine.Runtime;
using GitOrch.Engine.Events;
using GitOrch.Engine.Store;
using Microsoft.Extensions.Logging;

namespace GitOrch.Engine.Controllers.CronJobs;

/// <summary>
/// Starts a Job at each scheduled time of a CronJob. Level-based like Kubernetes' CronJob controller v2: the only memory
/// is status.lastScheduleTime, so after an Engine restart (or any long pause) it runs only the most recent missed time,
/// once, and only if that is within startingDeadlineSeconds. Job names are derived from the scheduled minute, so a
/// crash between creating a Job and writing status cannot start the same run twice. Applies concurrencyPolicy
/// (Allow, Forbid, Replace), suspend, and the history limits; requeues itself for the next scheduled time.
/// </summary>
public sealed partial class CronJobReconciler(IObjectStore store, SharedInformers informers, IEventRecorder events, TimeProvider time, ControllerOptions controllerOptions, ILogger<CronJobReconciler> logger) : IReconciler
{
    public const string ScheduledTimestampAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp";

    private readonly IObjectStore _store = store;
    private readonly Informer<CronJob> _cronJobs = informers.Get<CronJob>();
    private readonly Informer<Job> _jobs = informers.Get<Job>();
    private readonly IEventRecorder _events = events;
    private readonly TimeProvider _time = time;
    private readonly ControllerOptions _controllerOptions = controllerOptions;
    private readonly ILogger<CronJobReconciler> _logger = logger;

    public string Name => "cronjob";

    public ResourceKind Kind => ResourceKinds.CronJob;

    public void Watch(ControllerWiring wiring)
    {
        wiring.For(_cronJobs).Owns(_jobs, "CronJob");
    }

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var cj = _cronJobs.Get(key);
        if (cj == null || cj.Metadata.DeletionTimestamp != null)
        {
            return ReconcileResult.Done;
        }

        var spec = cj.Spec ?? new CronJobSpec();
        var schedule = CronSchedule.TryParse(spec.Schedule, spec.TimeZone, out var error);
        if (schedule == null)
        {
            _events.Record(cj, EventTypes.Warning, spec.TimeZone != null && error!.Contains("time zone", StringComparison.Ordinal) ? "UnknownTimeZone" : "InvalidSchedule", error!);
            return ReconcileResult.Terminal(error!);
        }

        var now = _time.GetUtcNow();
        var status = cj.Status == null ? new CronJobStatus() : KubeJson.Clone(cj.Status);
        var jobs = _jobs.ByIndex(WellKnownIndexes.ControllerUid, cj.Metadata.Uid!).Where(j => j.Metadata.DeletionTimestamp == null).ToList();
        var active = jobs.Where(j => !JobReconciler.IsFinished(j)).OrderBy(j => j.Metadata.Name, StringComparer.Ordinal).ToList();
        foreach (var j in jobs.Where(j => Succeeded(j)))
        {
            var at = JobReconciler.FinishedAt(j);
            if (at != null && (status.LastSuccessfulTime == null || at > status.LastSuccessfulTime))
            {
                status.LastSuccessfulTime = at;
            }
        }

        await CleanUpHistoryAsync(cj, jobs, cancellationToken).ConfigureAwait(false);

        var next = schedule.Next(now);

        // Kubernetes adds 100 ms so the wake-up lands after the scheduled second, not a hair before it.
        var requeue = next is { } n ? ReconcileResult.After(n - now + TimeSpan.FromMilliseconds(100)) : ReconcileResult.Done;
        if (spec.Suspend == true)
        {
            await WriteStatusAsync(cj, status, active, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        var earliest = status.LastScheduleTime ?? cj.Metadata.CreationTimestamp ?? now;
        if (spec.StartingDeadlineSeconds is { } deadline && now - TimeSpan.FromSeconds(deadline) > earliest)
        {
            // Times older than the deadline can never run: don't even look at them.
            earliest = now - TimeSpan.FromSeconds(deadline);
        }

        var scheduled = schedule.MostRecent(earliest, now);
        if (scheduled == null)
        {
            await WriteStatusAsync(cj, status, active, cancellationToken).ConfigureAwait(false);
            return requeue;
        }

        var missed = schedule.Missed(earliest, now);
        if (missed > 1)
        {
            // Only the latest missed run is started (at most one catch-up), as Kubernetes does after downtime.
            _events.Record(cj, EventTypes.Warning, "MissedSchedules", $"Missed {(missed >= 100 ? "100 or more" : missed.ToString(CultureInfo.InvariantCulture))} start times; starting only the latest, {scheduled.Value:O}");
        }

        if (spec.StartingDeadlineSeconds is { } d && scheduled.Value + TimeSpan.FromSeconds(d) < now)
        {
            _events.Record(cj, EventTypes.Warning, "MissSchedule", $"Missed scheduled time to start a job: {scheduled.Value:O}");
            await WriteStatusAsync(cj, status, active, cancellationToken).ConfigureAwait(false);
            return requeue;
        }

        var jobName = JobNameFor(cj, scheduled.Value);
        if (jobs.Any(j => j.Metadata.Name == jobName) || _jobs.Get(cj.Metadata.Namespace, jobName) != null)
        {
            // This time already ran (status write was lost, or a Job by that name exists): never twice.
            status.LastScheduleTime = Later(status.LastScheduleTime, scheduled.Value);
            await WriteStatusAsync(cj, status, active, cancellationToken).ConfigureAwait(false);
            return requeue;
        }

        switch (spec.ConcurrencyPolicy)
        {
            case "Forbid" when active.Count > 0:
                // Not recorded as scheduled: when the running Job finishes this time may still start, within the deadline.
                Log.Skipped(_logger, cj.Metadata.Name!, active.Count);
                await WriteStatusAsync(cj, status, active, cancellationToken).ConfigureAwait(false);
                return requeue;
            case "Replace" when active.Count > 0:
                foreach (var j in active)
                {
                    await DeleteJobAsync(j, cancellationToken).ConfigureAwait(false);
                    _events.Record(cj, EventTypes.Normal, "SuccessfulDelete", $"Deleted job {j.Metadata.Name}");
                }

                active.Clear();
                break;
        }

        Job created;
        try
        {
            created = await _store.CreateAsync(NewJob(cj, jobName, scheduled.Value), cancellationToken).ConfigureAwait(false);
            await _jobs.WaitForRevisionAsync(Revisions.Of(created), _controllerOptions.CacheSyncTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreException e) when (e.IsAlreadyExists)
        {
            status.LastScheduleTime = Later(status.LastScheduleTime, scheduled.Value);
            await WriteStatusAsync(cj, status, active, cancellationToken).ConfigureAwait(false);
            return requeue;
        }

        _events.Record(cj, EventTypes.Normal, "SuccessfulCreate", $"Created job {jobName}");
        Log.Started(_logger, cj.Metadata.Name!, jobName, scheduled.Value);
        active.Add(created);
        status.LastScheduleTime = scheduled.Value;
        await WriteStatusAsync(cj, status, active, cancellationToken).ConfigureAwait(false);
        return requeue;
    }

    /// <summary>"&lt;cronjob&gt;-&lt;minutes since the epoch&gt;", as Kubernetes names them: one name per scheduled minute.</summary>
    public static string JobNameFor(CronJob cj, DateTimeOffset scheduled)
        => $"{cj.Metadata.Name}-{(scheduled.ToUnixTimeSeconds() / 60).ToString(CultureInfo.InvariantCulture)}";

    private static Job NewJob(CronJob cj, string name, DateTimeOffset scheduled)
    {
        var template = cj.Spec!.JobTemplate;
        var spec = template.Spec == null ? new JobSpec() : KubeJson.Clone(template.Spec);
        var annotations = template.Metadata?.Annotations == null ? new Dictionary<string, string>() : new Dictionary<string, string>(template.Metadata.Annotations);
        annotations[ScheduledTimestampAnnotation] = scheduled.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return new Job
        {
            Metadata = new ObjectMeta
            {
                Name = name,
                Namespace = cj.Metadata.Namespace,
                Labels = template.Metadata?.Labels == null ? null : new Dictionary<string, string>(template.Metadata.Labels),
                Annotations = annotations,
                OwnerReferences = new List<OwnerReference> { Owners.ControllerRef(cj) },
            },
            Spec = spec,
        };
    }

    private static bool Succeeded(Job j) => j.Status?.Conditions?.Any(c => c.Type == ConditionTypes.Complete && c.Status == ConditionStatus.True) == true;

    private static bool Failed(Job j) => j.Status?.Conditions?.Any(c => c.Type == ConditionTypes.Failed && c.Status == ConditionStatus.True) == true;

    /// <summary>Keeps the newest successfulJobsHistoryLimit (default 3) and failedJobsHistoryLimit (default 1) finished Jobs.</summary>
    private async Task CleanUpHistoryAsync(CronJob cj, List<Job> jobs, CancellationToken ct)
    {
        var spec = cj.Spec!;
        var surplus = Oldest(jobs.Where(Succeeded), spec.SuccessfulJobsHistoryLimit ?? 3)
            .Concat(Oldest(jobs.Where(Failed), spec.FailedJobsHistoryLimit ?? 1))
            .ToList();
        foreach (var j in surplus)
        {
            await DeleteJobAsync(j, ct).ConfigureAwait(false);
            _events.Record(cj, EventTypes.Normal, "SuccessfulDelete", $"Deleted job {j.Metadata.Name}");
            jobs.Remove(j);
        }
    }

    private static IEnumerable<Job> Oldest(IEnumerable<Job> finished, int keep)
        => finished
            .OrderByDescending(j => JobReconciler.FinishedAt(j) ?? j.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue)
            .ThenByDescending(j => j.Metadata.Name, StringComparer.Ordinal)
            .Skip(Math.Max(0, keep));

    private async Task DeleteJobAsync(Job job, CancellationToken ct)
    {
        try
        {
            // Background: the garbage collector removes the Job's Pods after it.
            var deleted = await _store.DeleteAsync(ResourceKinds.Job, job.Metadata.Namespace, job.Metadata.Name!, new DeleteOptions { Uid = job.Metadata.Uid, PropagationPolicy = "Background" }, ct).ConfigureAwait(false);
            await _jobs.WaitForRevisionAsync(Math.Max(Revisions.Of(deleted), _store.Revision), _controllerOptions.CacheSyncTimeout, ct).ConfigureAwait(false);
        }
        catch (StoreException e) when (e.IsNotFound || e.IsConflict)
        {
        }
    }

    private async Task WriteStatusAsync(CronJob cj, CronJobStatus status, List<Job> active, CancellationToken ct)
    {
        var kind = ResourceKinds.Job;
        status.Active = active.Count == 0 ? null : active.Select(j => new ObjectReference
        {
            ApiVersion = kind.ApiVersion,
            Kind = kind.Kind,
            Name = j.Metadata.Name,
            Namespace = j.Metadata.Namespace,
            Uid = j.Metadata.Uid,
            ResourceVersion = j.Metadata.ResourceVersion,
        }).ToList();

        // The resourceVersion of a referenced Job changes all the time; comparing it would rewrite status on every Job update.
        if (cj.Status != null && Comparable(cj.Status) == Comparable(status))
        {
            return;
        }

        var copy = KubeJson.Clone(cj);
        copy.Metadata.ResourceVersion = null;
        copy.Status = status;
        try
        {
            var written = await _store.UpdateStatusAsync(copy, ct).ConfigureAwait(false);
            await _cronJobs.WaitForRevisionAsync(Revisions.Of(written), _controllerOptions.CacheSyncTimeout, ct).ConfigureAwait(false);
        }
        catch (StoreException e) when (e.IsNotFound)
        {
        }
    }

    private static string Comparable(CronJobStatus s)
        => KubeJson.Serialize(new CronJobStatus
        {
            LastScheduleTime = s.LastScheduleTime,
            LastSuccessfulTime = s.LastSuccessfulTime,
            Active = s.Active?.Select(r => new ObjectReference { Name = r.Name, Uid = r.Uid }).ToList(),
        });

    private static DateTimeOffset Later(DateTimeOffset? a, DateTimeOffset b) => a is { } v && v > b ? v : b;

    private static partial class Log
    {
        [LoggerMessage(EventId = 2401, Level = LogLevel.Information, Message = "CronJob {CronJob} started job {Job} for {Scheduled:O}")]
        public static partial void Started(ILogger logger, string cronJob, string job, DateTimeOffset scheduled);

        [LoggerMessage(EventId = 2402, Level = LogLevel.Debug, Message = "CronJob {CronJob} skipped a run: concurrencyPolicy Forbid and {Active} job(s) still active")]
        public static partial void Skipped(ILogger logger, string cronJob, int active);
    }
}
