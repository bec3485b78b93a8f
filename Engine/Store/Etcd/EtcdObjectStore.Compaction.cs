using Etcdserverpb;
using Grpc.Core;

namespace GitOrch.Engine.Store.Etcd;

public sealed partial class EtcdObjectStore
{
    /// <summary>
    /// Keeps etcd's history bounded: every <see cref="EtcdStoreOptions.CompactionInterval"/> the revisions older than
    /// <see cref="EtcdStoreOptions.CompactionRetain"/> behind the head go. Every Engine may do it (compacting to a
    /// revision already compacted is a harmless error); watches from before it get 410 and relist.
    /// </summary>
    private async Task CompactLoopAsync(CancellationToken stop)
    {
        if (_etcd.CompactionInterval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(_etcd.CompactionInterval, _options.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                await CompactOnceAsync(stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>Compacts to head minus the retained history; the revision compacted to, or 0 when there was nothing to do.</summary>
    internal async Task<long> CompactOnceAsync(CancellationToken cancellationToken)
    {
        var target = Revision - _etcd.CompactionRetain;
        if (target <= 0)
        {
            return 0;
        }

        try
        {
            await _client.GetConnection().KVClient.CompactAsync(new CompactionRequest { Revision = target }, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false);
            LogCompacted(target);
            return target;
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.OutOfRange or StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            // Already compacted past it (another Engine), or etcd is away: the next tick tries again.
            return 0;
        }
    }
}
