using System.Collections.Concurrent;

namespace GitOrch.Agent.Proxy;

/// <summary>The proxy's open connections, so stopping the agent can reset them all and tests can count them.</summary>
internal sealed class ConnectionSet
{
    private readonly ConcurrentDictionary<ProxyConnection, byte> _open = new();
    private long _accepted;
    private long _retried;
    private int _tunnels;

    /// <summary>Open connections of both engines (async copy loops and the epoll loop's tunnels).</summary>
    public int Open => _open.Count + Volatile.Read(ref _tunnels);

    /// <summary>The epoll loop's bookkeeping: a tunnel opened, closed, or needed a second endpoint.</summary>
    public void TunnelOpened()
    {
        Interlocked.Increment(ref _accepted);
        Interlocked.Increment(ref _tunnels);
    }

    public void TunnelClosed(bool retried)
    {
        Interlocked.Decrement(ref _tunnels);
        if (retried)
        {
            Interlocked.Increment(ref _retried);
        }
    }

    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Connections that needed more than one endpoint before one accepted.</summary>
    public long Retried => Interlocked.Read(ref _retried);

    public void Run(ProxyConnection connection, CancellationToken stopping)
    {
        _open[connection] = 0;
        Interlocked.Increment(ref _accepted);
        Metrics.AgentMeters.ProxyConnectionAccepted();
        _ = RunAsync(connection, stopping);
    }

    public void AbortAll()
    {
        foreach (var c in _open.Keys)
        {
            c.Abort();
        }
    }

    private async Task RunAsync(ProxyConnection connection, CancellationToken stopping)
    {
        try
        {
            await connection.RunAsync(stopping).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A connection's failure is its own: it is already closed, and nobody awaits this task.
            connection.Abort();
        }
        finally
        {
            if (connection.FailedAttempts > 0)
            {
                Interlocked.Increment(ref _retried);
            }

            _open.TryRemove(connection, out _);
        }
    }
}
