using GitOrch.Api.Model;
using GitOrch.Engine.Controllers.CronJobs;
using GitOrch.Engine.Runtime;
using GitOrch.Tests.Infrastructure.Controllers;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace GitOrch.Tests.Engine.Controllers.CronJobs;

public sealed class CronJobReconcilerTests : IAsyncLifetime
{
    private readonly WorkloadHarness _h = new();
    private CronJobReconciler _cron = null!;

    public async Task InitializeAsync()
    {
        await _h.StartAsync();
        _cron = NewReconciler();
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private CronJobReconciler NewReconciler() => new(_h.Store, _h.Informers, _h.Events, _h.Clock, _h.ControllerOptions, NullLogger<CronJobReconciler>.Instance);

    private DateTimeOffset Start => new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    private Task<CronJob> CreateAsync(string name, string schedule, Action<CronJobSpec>? edit = null)
    {
        var spec = new CronJobSpec
        {
            Schedule = schedule,
            JobTemplate = new JobTemplateSpec
            {
                Metadata = new ObjectMeta { Labels = new() { ["cron"] = name } },
                Spec = new JobSpec { Template = WorkloadHarness.Template(new() { ["app"] = name }, "Never") },
            },
        };
        edit?.Invoke(spec);
        return _h.Store.CreateAsync(new CronJob { Metadata = new ObjectMeta { Name = name, Namespace = "default" }, Spec = spec });
    }

    private IReadOnlyList<Job> JobsOf(CronJob cj)
        => _h.Store.List<Job>("default").Where(j => j.Metadata.OwnerReferences?.Any(r => r.Uid == cj.Metadata.Uid) == true).OrderBy(j => j.Metadata.Name, StringComparer.Ordinal).ToList();

    private async Task FinishAsync(Job job, bool success)
    {
        var j = _h.Get<Job>(job);
        j.Status = new JobStatus
        {
            CompletionTime = success ? _h.Clock.GetUtcNow() : null,
            Conditions = new() { new Condition { Type = success ? "Complete" : "Failed", Status = ConditionStatus.True, LastTransitionTime = _h.Clock.GetUtcNow() } },
        };
        await _h.Store.UpdateStatusAsync(j);
    }

    [Fact]
    public async Task Fires_at_each_scheduled_time_once_and_requeues_for_the_next()
    {
        var cj = await CreateAsync("tick", "*/5 * * * *");
        var r = await _h.ReconcileAsync(_cron, cj);
        Assert.Empty(JobsOf(cj));
        Assert.Equal(ReconcileOutcome.RequeueAfter, r.Outcome);
        Assert.Equal(TimeSpan.FromMinutes(5) + TimeSpan.FromMilliseconds(100), r.Delay);

        _h.Clock.Advance(r.Delay);
        r = await _h.ReconcileAsync(_cron, cj);
        var job = Assert.Single(JobsOf(cj));
        Assert.Equal(CronJobReconciler.JobNameFor(cj, Start.AddMinutes(5)), job.Metadata.Name);
        Assert.Equal("tick", job.Metadata.Labels!["cron"]);
        Assert.Equal("2026-01-05T10:05:00Z", job.Metadata.Annotations![CronJobReconciler.ScheduledTimestampAnnotation]);
        Assert.Equal("Never", job.Spec!.Template.Spec!.RestartPolicy);
        var status = _h.Get<CronJob>(cj).Status!;
        Assert.Equal(Start.AddMinutes(5), status.LastScheduleTime);
        Assert.Equal(job.Metadata.Name, Assert.Single(status.Active!).Name);
        Assert.Equal(TimeSpan.FromMinutes(5), r.Delay);

        // Woken again before the next time (a Job changed): nothing new.
        await _h.ReconcileAsync(_cron, cj);
        Assert.Single(JobsOf(cj));

        await FinishAsync(job, success: true);
        await _h.ReconcileAsync(_cron, cj);
        status = _h.Get<CronJob>(cj).Status!;
        Assert.Null(status.Active);
        Assert.Equal(_h.Clock.GetUtcNow(), status.LastSuccessfulTime);
    }

    [Fact]
    public async Task Schedule_is_read_in_spec_timeZone()
    {
        // 09:00 in Berlin is 08:00 UTC in January; the clock stands at 10:00 UTC on the 5th.
        var cj = await CreateAsync("berlin", "0 9 * * *", s => s.TimeZone = "Europe/Berlin");
        var r = await _h.ReconcileAsync(_cron, cj);
        Assert.Equal(TimeSpan.FromHours(22) + TimeSpan.FromMilliseconds(100), r.Delay);

        _h.Clock.SetUtcNow(new DateTimeOffset(2026, 1, 6, 8, 0, 0, TimeSpan.Zero));
        await _h.ReconcileAsync(_cron, cj);
        Assert.Equal(new DateTimeOffset(2026, 1, 6, 8, 0, 0, TimeSpan.Zero), _h.Get<CronJob>(cj).Status!.LastScheduleTime);
        Assert.Single(JobsOf(cj));
    }

    [Fact]
    public async Task Invalid_schedule_or_time_zone_is_terminal_with_an_event()
    {
        var bad = await CreateAsync("bad", "not a schedule");
        Assert.Equal(ReconcileOutcome.Terminal, (await _h.ReconcileAsync(_cron, bad)).Outcome);
        Assert.True(_h.Events.Has("InvalidSchedule"));

        var zone = await CreateAsync("zone", "* * * * *", s => s.TimeZone = "Mars/Olympus_Mons");
        Assert.Equal(ReconcileOutcome.Terminal, (await _h.ReconcileAsync(_cron, zone)).Outcome);
        Assert.True(_h.Events.Has("UnknownTimeZone"));
    }

    [Fact]
    public async Task Allow_runs_jobs_side_by_side()
    {
        var cj = await CreateAsync("allow", "* * * * *");
        _h.Clock.Advance(TimeSpan.FromMinutes(1));
        await _h.ReconcileAsync(_cron, cj);
        _h.Clock.Advance(TimeSpan.FromMinutes(1));
        await _h.ReconcileAsync(_cron, cj);
        Assert.Equal(2, JobsOf(cj).Count);
        Assert.Equal(2, _h.Get<CronJob>(cj).Status!.Active!.Count);
    }

    [Fact]
    public async Task Forbid_skips_while_a_job_runs_and_starts_the_skipped_time_when_it_ends()
    {
        var cj = await CreateAsync("forbid", "* * * * *", s => s.ConcurrencyPolicy = "Forbid");
        _h.Clock.Advance(TimeSpan.FromMinutes(1));
        await _h.ReconcileAsync(_cron, cj);
        var first = Assert.Single(JobsOf(cj));

        _h.Clock.Advance(TimeSpan.FromMinutes(1));
        await _h.ReconcileAsync(_cron, cj);
        Assert.Single(JobsOf(cj));
        Assert.Equal(Start.AddMinutes(1), _h.Get<CronJob>(cj).Status!.LastScheduleTime);

        _h.Clock.Advance(TimeSpan.FromSeconds(20));
        await FinishAsync(first, success: true);
        await _h.ReconcileAsync(_cron, cj);
        var jobs = JobsOf(cj);
        Assert.Equal(2, jobs.Count);
        Assert.Contains(jobs, j => j.Metadata.Name == CronJobReconciler.JobNameFor(cj, Start.AddMinutes(2)));
    }

    [Fact]
    public async Task Replace_deletes_the_running_job_and_starts_the_new_one()
    {
        var cj = await CreateAsync("replace", "* * * * *", s => s.ConcurrencyPolicy = "Replace");
        _h.Clock.Advance(TimeSpan.FromMinutes(1));
        await _h.ReconcileAsync(_cron, cj);
        var first = Assert.Single(JobsOf(cj));

        _h.Clock.Advance(TimeSpan.FromMinutes(1));
        await _h.ReconcileAsync(_cron, cj);
        var now = Assert.Single(JobsOf(cj));
        Assert.NotEqual(first.Metadata.Name, now.Metadata.Name);
        Assert.Equal(now.Metadata.Name, Assert.Single(_h.Get<CronJob>(cj).Status!.Active!).Name);
    }

    [Fact]
    public async Task Suspended_cronjob_starts_nothing()
    {
        var cj = await CreateAsync("paused", "* * * * *", s => s.Suspend = true);
        _h.Clock.Advance(TimeSpan.FromMinutes(3));
        await _h.ReconcileAsync(_cron, cj);
        Assert.Empty(JobsOf(cj));
    }

    [Fact]
    public async Task History_keeps_three_successful_and_one_failed_job_by_default()
    {
        var cj = await CreateAsync("history", "* * * * *");
        for (var i = 0; i < 7; i++)
        {
            _h.Clock.SetUtcNow(Start.AddMinutes(1 + i));
            await _h.ReconcileAsync(_cron, cj);
            var job = JobsOf(cj).Single(j => j.Status == null);
            _h.Clock.Advance(TimeSpan.FromSeconds(10));
            await FinishAsync(job, success: i % 2 == 0);
        }

        await _h.ReconcileAsync(_cron, cj);
        var left = JobsOf(cj);
        var ok = left.Where(j => j.Status!.Conditions!.Any(c => c.Type == "Complete")).Select(j => j.Metadata.Name).ToList();
        var failed = left.Where(j => j.Status!.Conditions!.Any(c => c.Type == "Failed")).Select(j => j.Metadata.Name).ToList();

        // Runs 0,2,4,6 succeeded (keep the newest three: 2,4,6); 1,3,5 failed (keep 5).
        Assert.Equal(new[] { 2, 4, 6 }.Select(i => CronJobReconciler.JobNameFor(cj, Start.AddMinutes(1 + i))), ok);
        Assert.Equal(new[] { CronJobReconciler.JobNameFor(cj, Start.AddMinutes(6)) }, failed);
    }

    [Fact]
    public async Task After_a_restart_only_the_latest_missed_run_starts_once()
    {
        var cj = await CreateAsync("catchup", "*/10 * * * *");
        _h.Clock.Advance(TimeSpan.FromMinutes(10));
        await _h.ReconcileAsync(_cron, cj);
        Assert.Single(JobsOf(cj));

        // The Engine is down from 10:10 to 11:05: five start times pass. A new reconciler (fresh process) looks once.
        _h.Clock.SetUtcNow(Start.AddMinutes(65));
        var restarted = NewReconciler();
        await _h.ReconcileAsync(restarted, cj);
        var jobs = JobsOf(cj);
        Assert.Equal(2, jobs.Count);
        Assert.Contains(jobs, j => j.Metadata.Name == CronJobReconciler.JobNameFor(cj, Start.AddMinutes(60)));
        Assert.True(_h.Events.Has("MissedSchedules"));

        await _h.ReconcileAsync(restarted, cj);
        Assert.Equal(2, JobsOf(cj).Count);
    }

    [Fact]
    public async Task After_a_restart_a_missed_run_older_than_startingDeadlineSeconds_does_not_start()
    {
        var cj = await CreateAsync("deadline", "*/10 * * * *", s => s.StartingDeadlineSeconds = 120);
        _h.Clock.Advance(TimeSpan.FromMinutes(10));
        await _h.ReconcileAsync(_cron, cj);
        Assert.Single(JobsOf(cj));

        // Back at 11:05: 11:00 was five minutes ago, past the two-minute deadline.
        _h.Clock.SetUtcNow(Start.AddMinutes(65));
        var r = await _h.ReconcileAsync(NewReconciler(), cj);
        Assert.Single(JobsOf(cj));
        Assert.Equal(TimeSpan.FromMinutes(5) + TimeSpan.FromMilliseconds(100), r.Delay);

        // Back at 11:21 instead: 11:20 is within the deadline and starts.
        _h.Clock.SetUtcNow(Start.AddMinutes(81));
        await _h.ReconcileAsync(NewReconciler(), cj);
        Assert.Contains(JobsOf(cj), j => j.Metadata.Name == CronJobReconciler.JobNameFor(cj, Start.AddMinutes(80)));
        Assert.Equal(2, JobsOf(cj).Count);
    }
}
