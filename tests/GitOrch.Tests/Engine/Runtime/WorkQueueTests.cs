using GitOrch.Engine.Runtime;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace GitOrch.Tests.Engine.Runtime;

public sealed class WorkQueueTests
{
    private static async Task<string?> TryGet(WorkQueue<string> q, int ms = 50)
    {
        using var cts = new CancellationTokenSource(ms);
        try
        {
            return await q.GetAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    [Fact]
    public async Task A_key_added_twice_while_waiting_is_processed_once()
    {
        using var q = new WorkQueue<string>();
        q.Add("a");
        q.Add("a");
        q.Add("b");
        Assert.Equal(2, q.Length);
        Assert.Equal("a", await q.GetAsync(CancellationToken.None));
        Assert.Equal("b", await q.GetAsync(CancellationToken.None));
        Assert.Null(await TryGet(q));
    }

    [Fact]
    public async Task A_key_added_while_processing_waits_until_done_and_is_never_handed_out_twice_at_once()
    {
        using var q = new WorkQueue<string>();
        q.Add("a");
        var first = await q.GetAsync(CancellationToken.None);
        q.Add("a");
        Assert.Null(await TryGet(q));

        q.Done(first);
        Assert.Equal("a", await TryGet(q));
    }

    [Fact]
    public async Task Add_after_waits_for_the_clock_and_the_earliest_delay_wins()
    {
        var time = new FakeTimeProvider();
        using var q = new WorkQueue<string>(time);
        q.AddAfter("a", TimeSpan.FromSeconds(10));
        q.AddAfter("a", TimeSpan.FromSeconds(3));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(await TryGet(q));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("a", await TryGet(q));
        q.Done("a");
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Null(await TryGet(q));
    }

    [Fact]
    public async Task Errors_back_off_exponentially_until_forgotten()
    {
        var time = new FakeTimeProvider();
        using var q = new WorkQueue<string>(time, new WorkQueueOptions { BaseRetryDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromSeconds(5) });
        var waits = new List<double>();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            q.AddRateLimited("a");
            var waited = 0;
            string? got;
            while ((got = await TryGet(q, 10)) == null)
            {
                time.Advance(TimeSpan.FromSeconds(1));
                waited++;
            }

            q.Done(got);
            waits.Add(waited);
        }

        Assert.Equal(new double[] { 1, 2, 4, 5, 5 }, waits);
        q.Forget("a");
        Assert.Equal(0, q.Failures("a"));
    }

    [Fact]
    public void Recorded_failures_count_like_rate_limited_retries_without_queueing_the_key()
    {
        using var q = new WorkQueue<string>();
        Assert.Equal(1, q.RecordFailure("a"));
        Assert.Equal(2, q.RecordFailure("a"));
        Assert.Equal(0, q.Length);
        Assert.Equal(2, q.Failures("a"));
        q.Forget("a");
        Assert.Equal(0, q.Failures("a"));
    }
}
