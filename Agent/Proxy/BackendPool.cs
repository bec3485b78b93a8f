using System.Net;

namespace GitOrch.Agent.Proxy;

/// <summary>
/// The ready endpoints of one Service port, swapped as a whole when the Endpoints change. A connection takes the array
/// it starts with, so a change never touches connections already open; the round-robin cursor is one interlocked counter.
/// </summary>
internal sealed class BackendPool
{
    private IPEndPoint[] _endpoints;
    private int _cursor = -1;

    public BackendPool(string name, IPEndPoint[] endpoints)
    {
        Name = name;
        _endpoints = endpoints;
    }

    /// <summary>"namespace/service:port" for logs.</summary>
    public string Name { get; }

    public IPEndPoint[] Endpoints => Volatile.Read(ref _endpoints);

    public void Update(IPEndPoint[] endpoints) => Volatile.Write(ref _endpoints, endpoints);

    /// <summary>Where the next connection starts in the rotation; its retries walk on from there.</summary>
    public int NextStart() => Interlocked.Increment(ref _cursor) & int.MaxValue;
}
