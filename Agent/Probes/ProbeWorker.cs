namespace GitOrch.Agent.Probes;

/// <summary>
/// One probe of one container instance, run every periodSeconds after initialDelaySeconds. The result flips only
/// after successThreshold consecutive successes or failureThreshold consecutive failures; each flip calls
/// <c>onChange</c> so the Pod is synced at once rather than at the next resync.
/// </summary>
public sealed class ProbeWorker : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <param name="stopOnSuccess">Startup probes stop probing once they succeeded.</param>
    public ProbeWorker(GitOrch.Api.Model.Probe probe, Func<CancellationToken, Task<bool>> check, ProbeResult initial, bool stopOnSuccess, TimeProvider time, Action onChange)
    {
        Result = initial;
        _loop = Task.Run(() => LoopAsync(probe, check, stopOnSuccess, time, onChange, _stop.Token));
    }

    public ProbeResult Result { get; private set; }

    private async Task LoopAsync(GitOrch.Api.Model.Probe probe, Func<CancellationToken, Task<bool>> check, bool stopOnSuccess, TimeProvider time, Action onChange, CancellationToken ct)
    {
        var period = TimeSpan.FromSeconds(Math.Max(1, probe.PeriodSeconds ?? 10));
        var successThreshold = Math.Max(1, probe.SuccessThreshold ?? 1);
        var failureThreshold = Math.Max(1, probe.FailureThreshold ?? 3);
        int successes = 0, failures = 0;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, probe.InitialDelaySeconds ?? 0)), time, ct);
            while (!ct.IsCancellationRequested)
            {
                var ok = await check(ct);
                successes = ok ? successes + 1 : 0;
                failures = ok ? 0 : failures + 1;
                var next = Result;
                if (successes >= successThreshold)
                {
                    next = ProbeResult.Success;
                }
                else if (failures >= failureThreshold)
                {
                    next = ProbeResult.Failure;
                }

                if (next != Result)
                {
                    Result = next;
                    onChange();
                }

                if (stopOnSuccess && Result == ProbeResult.Success)
                {
                    return;
                }

                await Task.Delay(period, time, ct);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
