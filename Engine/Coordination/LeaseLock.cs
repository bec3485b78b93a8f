using GitOrch.Api.Model;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Coordination;

/// <summary>
/// client-go's <c>tryAcquireOrRenew</c> on a coordination.k8s.io/v1 Lease in the store. Expiry is judged by this
/// Engine's own clock from when it last saw the record change (never from the holder's renewTime, so clocks of
/// different machines need not agree); the write is an optimistic update, so of two candidates only one wins.
/// </summary>
internal sealed class LeaseLock
{
    private readonly IObjectStore _store;
    private readonly LeaderElectionOptions _options;
    private readonly TimeProvider _time;
    private string? _observedVersion;
    private long _observedAt;

    public LeaseLock(IObjectStore store, LeaderElectionOptions options, TimeProvider time)
    {
        _store = store;
        _options = options;
        _time = time;
    }

    /// <summary>The lease term (leaseTransitions) of the last successful acquire or renew.</summary>
    public int Term { get; private set; }

    /// <summary>Holder of the lease as last seen (for logs).</summary>
    public string? ObservedHolder { get; private set; }

    /// <summary>True when this Engine holds the lease after the call.</summary>
    public async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var current = _store.Get<Lease>(_options.LeaseNamespace, _options.LeaseName);
        if (current == null)
        {
            var created = await _store.CreateAsync(new Lease
            {
                Metadata = new ObjectMeta { Name = _options.LeaseName, Namespace = _options.LeaseNamespace },
                Spec = Spec(now, now, 0),
            }, cancellationToken).ConfigureAwait(false);
            Observe(created);
            Term = 0;
            return true;
        }

        if (current.Metadata.ResourceVersion != _observedVersion)
        {
            Observe(current);
        }

        var spec = current.Spec ?? new LeaseSpec();
        var mine = spec.HolderIdentity == _options.Identity;
        var expired = _time.GetElapsedTime(_observedAt) >= _options.LeaseDuration;
        if (!mine && !string.IsNullOrEmpty(spec.HolderIdentity) && !expired)
        {
            return false;
        }

        var transitions = (spec.LeaseTransitions ?? 0) + (mine ? 0 : 1);
        current.Spec = Spec(mine ? spec.AcquireTime ?? now : now, now, transitions);
        var written = await _store.UpdateAsync(current, cancellationToken).ConfigureAwait(false);
        Observe(written);
        Term = transitions;
        return true;
    }

    /// <summary>Gives the lease up (holder cleared) if this Engine still holds it, so a candidate need not wait it out.</summary>
    public async Task ReleaseAsync()
    {
        var current = _store.Get<Lease>(_options.LeaseNamespace, _options.LeaseName);
        if (current?.Spec?.HolderIdentity != _options.Identity)
        {
            return;
        }

        current.Spec.HolderIdentity = null;
        try
        {
            using var bound = new CancellationTokenSource(_options.RenewDeadline);
            await _store.UpdateAsync(current, bound.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StoreException or OperationCanceledException)
        {
            // Someone else has it already, or etcd is away: the lease then simply expires.
        }
    }

    private void Observe(Lease lease)
    {
        _observedVersion = lease.Metadata.ResourceVersion;
        _observedAt = _time.GetTimestamp();
        ObservedHolder = lease.Spec?.HolderIdentity;
    }

    private LeaseSpec Spec(DateTimeOffset acquired, DateTimeOffset renewed, int transitions) => new()
    {
        HolderIdentity = _options.Identity,
        LeaseDurationSeconds = (int)Math.Ceiling(_options.LeaseDuration.TotalSeconds),
        AcquireTime = acquired,
        RenewTime = renewed,
        LeaseTransitions = transitions,
    };
}
