using GitOrch.Engine.Store;

namespace GitOrch.Engine.Coordination;

/// <summary>
/// Runs on every Engine of a shared datastore and makes at most one of them the leader: it campaigns for the Lease
/// every RetryPeriod, and while it holds it renews every RetryPeriod and runs the <see cref="GatedComponents"/>.
/// When a renewal has not succeeded for RenewDeadline it stops them all before anyone else may take the lease
/// (LeaseDuration after the last renewal they saw), then campaigns again: an Engine cut off from etcd comes back
/// as a follower by itself.
/// </summary>
internal sealed partial class LeaderElector : BackgroundService
{
    private readonly IObjectStore _store;
    private readonly LeaderElectionOptions _options;
    private readonly GatedComponents _components;
    private readonly IServiceProvider _engine;
    private readonly TimeProvider _time;
    private readonly ILogger<LeaderElector> _logger;
    private readonly LeaseLock _lock;
    private readonly List<LeaderTerm> _terms = new();

    public LeaderElector(IObjectStore store, LeaderElectionOptions options, GatedComponents components, IServiceProvider engine, TimeProvider time, ILogger<LeaderElector> logger)
    {
        _store = store;
        _options = options;
        _components = components;
        _engine = engine;
        _time = time;
        _logger = logger;
        _lock = new LeaseLock(store, options, time);
    }

    public string Identity => _options.Identity;

    /// <summary>True while this Engine's controllers run.</summary>
    public bool IsLeader { get; private set; }

    /// <summary>Every term this Engine led, oldest first (tests check that terms of different Engines never overlap).</summary>
    public IReadOnlyList<LeaderTerm> Terms
    {
        get
        {
            lock (_terms)
            {
                return _terms.ToList();
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!await TryAsync(stoppingToken).ConfigureAwait(false))
            {
                await DelayAsync(_options.RetryPeriod, stoppingToken).ConfigureAwait(false);
                continue;
            }

            LogAcquired(_options.Identity, _lock.Term);
            await LeadAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>One term: start the components, renew until the deadline passes or the Engine stops, stop them.</summary>
    private async Task LeadAsync(CancellationToken stoppingToken)
    {
        var term = new LeaderTerm(_options.Identity, _lock.Term, _time.GetUtcNow());
        var provider = _components.Build(_engine, term);
        var hosted = provider.GetServices<IHostedService>().ToList();
        lock (_terms)
        {
            _terms.Add(term);
        }

        IsLeader = true;
        var lastRenewal = _time.GetTimestamp();
        try
        {
            foreach (var h in hosted)
            {
                await h.StartAsync(stoppingToken).ConfigureAwait(false);
            }

            while (!stoppingToken.IsCancellationRequested)
            {
                await DelayAsync(_options.RetryPeriod, stoppingToken).ConfigureAwait(false);
                if (await TryAsync(stoppingToken).ConfigureAwait(false))
                {
                    lastRenewal = _time.GetTimestamp();
                }
                else if (_time.GetElapsedTime(lastRenewal) >= _options.RenewDeadline || _lock.ObservedHolder != _options.Identity)
                {
                    LogLost(_options.Identity, _lock.Term, _time.GetElapsedTime(lastRenewal).TotalSeconds);
                    break;
                }
            }
        }
        finally
        {
            IsLeader = false;
            term.Ending = true;
            await StopAllAsync(hosted).ConfigureAwait(false);
            await provider.DisposeAsync().ConfigureAwait(false);
            term.End(_time.GetUtcNow());
            if (stoppingToken.IsCancellationRequested)
            {
                // A clean shutdown hands over at once instead of making the others wait out the lease.
                await _lock.ReleaseAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Stops in reverse start order, bounded so the term ends before another Engine may take the lease.</summary>
    private async Task StopAllAsync(List<IHostedService> hosted)
    {
        using var bound = new CancellationTokenSource(_options.LeaseDuration - _options.RenewDeadline, _time);
        for (var i = hosted.Count - 1; i >= 0; i--)
        {
            try
            {
                await hosted[i].StopAsync(bound.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogStopFailed(hosted[i].GetType().Name, e.Message);
            }
        }
    }

    /// <summary>One acquire-or-renew with a deadline of RenewDeadline; every failure (etcd away, lost race) is a plain no.</summary>
    private async Task<bool> TryAsync(CancellationToken stoppingToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        attempt.CancelAfter(_options.RenewDeadline);
        try
        {
            return await _lock.TryAcquireOrRenewAsync(attempt.Token).ConfigureAwait(false);
        }
        catch (StoreException e)
        {
            LogAttemptFailed(e.Code, e.Message);
            return false;
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loops see the token.
        }
    }
}
