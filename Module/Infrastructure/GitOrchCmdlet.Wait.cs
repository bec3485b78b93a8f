using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace GitOrch.Module.Infrastructure;

/// <summary>The one poll-with-progress loop behind every -Wait and Wait-* cmdlet.</summary>
public abstract partial class GitOrchCmdlet
{
    private static int _nextWaitActivity = 1000;

    /// <summary>
    /// Polls <paramref name="current"/> (through <paramref name="refresh"/>) until <paramref name="check"/> says done or
    /// failed, or <paramref name="timeout"/> passes, showing each step's text as one progress bar that is completed in
    /// every outcome (Ctrl+C included). Returns the last object seen and the error that ended the wait, if any; the
    /// caller decides whether that error terminates.
    /// </summary>
    private protected async Task<(T Last, ErrorRecord? Error)> WaitUntilAsync<T>(string title, T current, (TimeSpan Timeout, TimeSpan Interval) poll,
        Func<T, Task<WaitStep>> check, Func<T, Task<T>> refresh, Func<T, string, ErrorRecord> timedOut)
    {
        var activity = Interlocked.Increment(ref _nextWaitActivity);
        var watch = Stopwatch.StartNew();
        try
        {
            while (true)
            {
                var step = await check(current).ConfigureAwait(true);
                var record = new ProgressRecord(activity, title, step.Status);
                if (step.PercentComplete is int percent)
                {
                    record.PercentComplete = percent;
                }

                WriteProgressRecord(record);
                if (step.Done || step.Failure != null)
                {
                    return (current, step.Failure);
                }

                if (watch.Elapsed > poll.Timeout)
                {
                    return (current, timedOut(current, step.Status));
                }

                await Task.Delay(poll.Interval, CancellationToken).ConfigureAwait(true);
                current = await refresh(current).ConfigureAwait(true);
            }
        }
        finally
        {
            CompleteProgress(activity);
        }
    }
}
