using GitOrch.Api.Model;
using GitOrch.Engine.Controllers;
using GitOrch.Engine.Controllers.CronJobs;
using GitOrch.Engine.Controllers.Jobs;
using GitOrch.Engine.Runtime;
using GitOrch.Engine.Events;
using GitOrch.Engine.Store;
using GitOrch.Tests.Infrastructure.Controllers;
using Microsoft.Extensions.Time.Testing;
using GitOrch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace GitOrch.Tests.Engine.Controllers.CronJobs;

/// <summary>
/// The CronJob and Job controllers hosted as in the Engine, on a clock the test drives: the CronJob's own requeue timer
/// (not the test) wakes it at each scheduled minute, and the Job controller turns each Job into a Pod.
/// </summary>
public sealed class CronJobClockTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _dir = new("gitorch-cron");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private ObjectStore _store = null!;
    private ServiceProvider _services = null!;
    private List<IHostedService> _hosted = null!;

    public async Task InitializeAsync()
    {
        _store = ObjectStore.Open(_dir.Path, _clock);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IObjectStore>(_store);
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton<IEventRecorder>(new RecordingEvents());
        services.AddSingleton<SharedInformers>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<SharedInformers>());
        services.AddReconciler<CronJobReconciler>();
        services.AddReconciler<JobReconciler>();
        _services = services.BuildServiceProvider();
        _hosted = _services.GetServices<IHostedService>().ToList();
        foreach (var h in _hosted)
        {
            await h.StartAsync(CancellationToken.None);
        }
    }

    public async Task DisposeAsync()
    {
        for (var i = _hosted.Count - 1; i >= 0; i--)
        {
            await _hosted[i].StopAsync(CancellationToken.None);
        }

        await _services.DisposeAsync();
        _store.Dispose();
        _dir.Dispose();
    }

    private Controller CronController => _services.GetRequiredKeyedService<Controller>(typeof(CronJobReconciler).FullName!);

    private IReadOnlyList<Job> Jobs => _store.List<Job>("default");

    [Fact]
    public async Task Requeue_timer_fires_the_cronjob_at_each_scheduled_minute_and_the_job_gets_a_pod()
    {
        await _store.CreateAsync(new CronJob
        {
            Metadata = new ObjectMeta { Name = "every", Namespace = "default" },
            Spec = new CronJobSpec
            {
                Schedule = "* * * * *",
                JobTemplate = new JobTemplateSpec
                {
                    Spec = new JobSpec { Template = WorkloadHarness.Template(new() { ["app"] = "every" }, "Never") },
                },
            },
        });

        // First look: nothing due yet, a timer for 00:01 is set.
        await Eventually.True(() => CronController.Metrics.Requeues >= 1, Timeout, "the cronjob requeued for its first minute");
        Assert.Empty(Jobs);

        _clock.Advance(TimeSpan.FromSeconds(30));
        await Task.Yield();
        Assert.Empty(Jobs);

        _clock.Advance(TimeSpan.FromSeconds(31));
        var first = await Eventually.Until(() => Jobs, j => j.Count == 1, Timeout, "the 00:01 job");
        Assert.Equal(CronJobReconciler.JobNameFor(_store.Get<CronJob>("default", "every")!, new DateTimeOffset(2026, 1, 1, 0, 1, 0, TimeSpan.Zero)), first[0].Metadata.Name);
        await Eventually.True(() => _store.List<Pod>("default").Count == 1, Timeout, "the job's pod");

        // Then the clock ticks on second by second: the 00:02 run starts once, from the controller's own timer.
        for (var i = 0; i < 60 && Jobs.Count < 2; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(50);
        }

        await Eventually.Until(() => Jobs, j => j.Count == 2, Timeout, "the 00:02 job");
        Assert.True(_clock.GetUtcNow() < new DateTimeOffset(2026, 1, 1, 0, 3, 0, TimeSpan.Zero), $"the 00:02 job started only at {_clock.GetUtcNow():O}");
    }
}
