using GitOrch.Api.Model;
using GitOrch.Engine.Controllers.Jobs;
using GitOrch.Engine.Runtime;
using GitOrch.Tests.Infrastructure.Controllers;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace GitOrch.Tests.Engine.Controllers.Jobs;

public sealed class JobReconcilerTests : IAsyncLifetime
{
    private readonly WorkloadHarness _h = new();
    private JobReconciler _jobs = null!;

    public async Task InitializeAsync()
    {
        await _h.StartAsync();
        _jobs = new JobReconciler(_h.Store, _h.Informers, _h.Events, _h.Clock, _h.ControllerOptions, NullLogger<JobReconciler>.Instance);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private Task<Job> CreateJobAsync(string name, Action<JobSpec> edit)
    {
        var spec = new JobSpec { Template = WorkloadHarness.Template(new() { ["app"] = name }, "Never") };
        edit(spec);
        return _h.Store.CreateAsync(new Job { Metadata = new ObjectMeta { Name = name, Namespace = "default" }, Spec = spec });
    }

    private static Condition? Cond(Job job, string type) => job.Status?.Conditions?.FirstOrDefault(c => c.Type == type && c.Status == ConditionStatus.True);

    [Fact]
    public async Task Failed_pods_are_retried_with_exponential_backoff_until_backoffLimit_then_the_job_fails()
    {
        var job = await CreateJobAsync("retry", s => s.BackoffLimit = 2);
        await _h.ReconcileAsync(_jobs, job);
        var pods = _h.PodsOf(job);
        Assert.Single(pods);
        Assert.Equal(job.Metadata.Uid, pods[0].Metadata.Labels![JobLabels.ControllerUid]);
        Assert.Equal("retry", pods[0].Metadata.Labels![JobLabels.JobName]);

        // Failure 1: no new Pod until 10 s after it.
        await _h.ExitAsync(pods[0], 1);
        var r = await _h.ReconcileAsync(_jobs, job);
        Assert.Equal(ReconcileOutcome.RequeueAfter, r.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(10), r.Delay);
        Assert.DoesNotContain(_h.PodsOf(job), p => p.Status?.Phase == null);
        Assert.Equal(1, _h.Get<Job>(job).Status!.Failed);

        _h.Clock.Advance(TimeSpan.FromSeconds(10));
        await _h.ReconcileAsync(_jobs, job);
        var second = Assert.Single(_h.PodsOf(job), p => p.Status?.Phase == null);

        // Failure 2: the delay doubles.
        await _h.ExitAsync(second, 1);
        r = await _h.ReconcileAsync(_jobs, job);
        Assert.Equal(TimeSpan.FromSeconds(20), r.Delay);
        _h.Clock.Advance(TimeSpan.FromSeconds(19));
        await _h.ReconcileAsync(_jobs, job);
        Assert.DoesNotContain(_h.PodsOf(job), p => p.Status?.Phase == null);
        _h.Clock.Advance(TimeSpan.FromSeconds(1));
        await _h.ReconcileAsync(_jobs, job);
        var third = Assert.Single(_h.PodsOf(job), p => p.Status?.Phase == null);

        // Failure 3 passes backoffLimit 2.
        await _h.ExitAsync(third, 1);
        await _h.ReconcileAsync(_jobs, job);
        var done = _h.Get<Job>(job);
        Assert.Equal("BackoffLimitExceeded", Cond(done, "Failed")?.Reason);
        Assert.Null(Cond(done, "Complete"));
        Assert.Equal(3, done.Status!.Failed);
        Assert.True(_h.Events.Has("BackoffLimitExceeded"));

        // Finished: nothing more is started, however long we wait.
        _h.Clock.Advance(TimeSpan.FromHours(1));
        await _h.ReconcileAsync(_jobs, job);
        Assert.Equal(3, _h.PodsOf(job).Count);
    }

    [Fact]
    public void Backoff_doubles_from_ten_seconds_and_caps_at_six_minutes()
    {
        var o = new JobOptions();
        Assert.Equal(TimeSpan.Zero, o.Backoff(0));
        Assert.Equal(TimeSpan.FromSeconds(10), o.Backoff(1));
        Assert.Equal(TimeSpan.FromSeconds(80), o.Backoff(4));
        Assert.Equal(TimeSpan.FromSeconds(320), o.Backoff(6));
        Assert.Equal(TimeSpan.FromMinutes(6), o.Backoff(7));
        Assert.Equal(TimeSpan.FromMinutes(6), o.Backoff(60));
    }

    [Fact]
    public async Task Completions_run_at_most_parallelism_pods_at_once_and_the_job_completes()
    {
        var job = await CreateJobAsync("batch", s => { s.Completions = 3; s.Parallelism = 2; });
        await _h.ReconcileAsync(_jobs, job);
        var pods = _h.PodsOf(job);
        Assert.Equal(2, pods.Count);
        Assert.Equal(2, _h.Get<Job>(job).Status!.Active);
        Assert.NotNull(_h.Get<Job>(job).Status!.StartTime);

        await _h.RunAsync(pods[0]);
        await _h.ExitAsync(pods[1], 0);
        await _h.ReconcileAsync(_jobs, job);

        // One succeeded, one runs: only one more is needed.
        Assert.Equal(2, _h.PodsOf(job).Count(p => p.Status?.Phase != "Succeeded"));
        Assert.Equal(1, _h.Get<Job>(job).Status!.Succeeded);

        foreach (var p in _h.PodsOf(job).Where(p => p.Status?.Phase != "Succeeded"))
        {
            await _h.ExitAsync(p, 0);
        }

        await _h.ReconcileAsync(_jobs, job);
        var done = _h.Get<Job>(job);
        Assert.NotNull(Cond(done, "Complete"));
        Assert.Equal(3, done.Status!.Succeeded);
        Assert.Null(done.Status.Active);
        Assert.Equal(_h.Clock.GetUtcNow(), done.Status.CompletionTime);
        Assert.Equal(3, _h.PodsOf(job).Count);
    }

    [Fact]
    public async Task ActiveDeadlineSeconds_fails_the_job_and_stops_its_pods()
    {
        var job = await CreateJobAsync("slow", s => s.ActiveDeadlineSeconds = 30);
        var r = await _h.ReconcileAsync(_jobs, job);
        Assert.Equal(TimeSpan.FromSeconds(30), r.Delay);
        await _h.RunAsync(_h.PodsOf(job).Single());

        _h.Clock.Advance(TimeSpan.FromSeconds(29));
        await _h.ReconcileAsync(_jobs, job);
        Assert.Null(Cond(_h.Get<Job>(job), "Failed"));

        _h.Clock.Advance(TimeSpan.FromSeconds(1));
        await _h.ReconcileAsync(_jobs, job);
        var done = _h.Get<Job>(job);
        Assert.Equal("DeadlineExceeded", Cond(done, "Failed")?.Reason);
        Assert.Empty(_h.PodsOf(job));
    }

    [Fact]
    public async Task Indexed_job_runs_each_index_once_with_JOB_COMPLETION_INDEX_and_retries_the_failed_index()
    {
        var job = await CreateJobAsync("idx", s => { s.Completions = 3; s.Parallelism = 3; s.CompletionMode = "Indexed"; });
        await _h.ReconcileAsync(_jobs, job);
        var pods = _h.PodsOf(job);
        Assert.Equal(new[] { 0, 1, 2 }, pods.Select(p => JobReconciler.IndexOf(p)!.Value).OrderBy(i => i));
        foreach (var p in pods)
        {
            var index = p.Metadata.Annotations![JobLabels.CompletionIndex];
            Assert.Equal(index, p.Spec!.Containers[0].Env!.Single(e => e.Name == "JOB_COMPLETION_INDEX").Value);
            Assert.StartsWith($"idx-{index}-", p.Metadata.Name);
            Assert.Equal($"idx-{index}", p.Spec.Hostname);
        }

        var byIndex = pods.ToDictionary(p => JobReconciler.IndexOf(p)!.Value);
        await _h.ExitAsync(byIndex[0], 0);
        await _h.ExitAsync(byIndex[1], 1);
        await _h.ExitAsync(byIndex[2], 0);
        await _h.ReconcileAsync(_jobs, job);
        Assert.Equal("0,2", _h.Get<Job>(job).Status!.CompletedIndexes);
        Assert.Null(Cond(_h.Get<Job>(job), "Complete"));

        _h.Clock.Advance(TimeSpan.FromSeconds(10));
        await _h.ReconcileAsync(_jobs, job);
        var retry = Assert.Single(_h.PodsOf(job), p => p.Status?.Phase == null);
        Assert.Equal(1, JobReconciler.IndexOf(retry));

        await _h.ExitAsync(retry, 0);
        await _h.ReconcileAsync(_jobs, job);
        var done = _h.Get<Job>(job);
        Assert.Equal("0-2", done.Status!.CompletedIndexes);
        Assert.NotNull(Cond(done, "Complete"));
        Assert.Equal(1, done.Status.Failed);
    }

    [Fact]
    public async Task Finished_job_is_deleted_after_ttlSecondsAfterFinished()
    {
        var job = await CreateJobAsync("ttl", s => s.TtlSecondsAfterFinished = 60);
        await _h.ReconcileAsync(_jobs, job);
        await _h.ExitAsync(_h.PodsOf(job).Single(), 0);
        var r = await _h.ReconcileAsync(_jobs, job);
        Assert.Equal(TimeSpan.FromSeconds(60), r.Delay);

        _h.Clock.Advance(TimeSpan.FromSeconds(59));
        await _h.ReconcileAsync(_jobs, job);
        Assert.NotNull(_h.Store.Get<Job>("default", "ttl"));

        _h.Clock.Advance(TimeSpan.FromSeconds(1));
        await _h.ReconcileAsync(_jobs, job);
        Assert.Null(_h.Store.Get<Job>("default", "ttl"));
    }

    [Fact]
    public async Task OnFailure_container_restarts_count_against_backoffLimit()
    {
        var job = await CreateJobAsync("restarts", s => { s.BackoffLimit = 3; s.Template.Spec!.RestartPolicy = "OnFailure"; });
        await _h.ReconcileAsync(_jobs, job);
        var pod = _h.PodsOf(job).Single();
        Assert.Equal("OnFailure", pod.Spec!.RestartPolicy);

        await _h.RunAsync(pod, ready: false, restarts: 2);
        await _h.ReconcileAsync(_jobs, job);
        Assert.Null(Cond(_h.Get<Job>(job), "Failed"));

        await _h.RunAsync(pod, ready: false, restarts: 3);
        await _h.ReconcileAsync(_jobs, job);
        Assert.Equal("BackoffLimitExceeded", Cond(_h.Get<Job>(job), "Failed")?.Reason);
        Assert.Empty(_h.PodsOf(job));
    }

    [Fact]
    public async Task Work_queue_job_without_completions_finishes_when_one_pod_succeeded_and_the_rest_ended()
    {
        var job = await CreateJobAsync("queue", s => s.Parallelism = 2);
        await _h.ReconcileAsync(_jobs, job);
        var pods = _h.PodsOf(job);
        Assert.Equal(2, pods.Count);
        await _h.ExitAsync(pods[0], 0);
        await _h.RunAsync(pods[1]);
        await _h.ReconcileAsync(_jobs, job);
        Assert.Null(Cond(_h.Get<Job>(job), "Complete"));
        Assert.Equal(2, _h.PodsOf(job).Count);

        await _h.ExitAsync(pods[1], 0);
        await _h.ReconcileAsync(_jobs, job);
        Assert.NotNull(Cond(_h.Get<Job>(job), "Complete"));
    }

    [Fact]
    public async Task Suspending_a_job_stops_its_pods_and_resuming_starts_them_again()
    {
        var job = await CreateJobAsync("pause", s => { s.Completions = 2; s.Parallelism = 2; });
        await _h.ReconcileAsync(_jobs, job);
        Assert.Equal(2, _h.PodsOf(job).Count);

        var j = _h.Get<Job>(job);
        j.Spec!.Suspend = true;
        await _h.Store.UpdateAsync(j);
        await _h.ReconcileAsync(_jobs, job);
        Assert.Empty(_h.PodsOf(job));
        Assert.NotNull(Cond(_h.Get<Job>(job), "Suspended"));

        j = _h.Get<Job>(job);
        j.Spec!.Suspend = false;
        await _h.Store.UpdateAsync(j);
        await _h.ReconcileAsync(_jobs, job);
        Assert.Equal(2, _h.PodsOf(job).Count);
        Assert.Null(Cond(_h.Get<Job>(job), "Suspended"));
    }
}
