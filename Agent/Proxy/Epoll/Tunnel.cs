using System.Net;

namespace GitOrch.Agent.Proxy.Epoll;

/// <summary>One proxied connection inside the epoll loop: the two sockets, one pending buffer per direction, and where it is in its life.</summary>
internal sealed class Tunnel
{
    public Tunnel(long id, int clientFd, IPEndPoint[] endpoints, int start, byte[] toUpstream, byte[] toClient)
    {
        Id = id;
        ClientFd = clientFd;
        Endpoints = endpoints;
        Start = start;
        ToUpstream = toUpstream;
        ToClient = toClient;
    }

    public long Id { get; }

    public int ClientFd { get; }

    public int UpstreamFd { get; set; } = -1;

    /// <summary>The endpoints as they were when the client arrived: later changes never move an open connection.</summary>
    public IPEndPoint[] Endpoints { get; }

    public int Start { get; }

    /// <summary>Endpoints tried so far (the one being connected included).</summary>
    public int Attempt { get; set; }

    public bool Connected { get; set; }

    public long ConnectDeadline { get; set; }

    public byte[] ToUpstream { get; }

    public int ToUpstreamOffset { get; set; }

    public int ToUpstreamLength { get; set; }

    public byte[] ToClient { get; }

    public int ToClientOffset { get; set; }

    public int ToClientLength { get; set; }

    /// <summary>The client finished sending (FIN read).</summary>
    public bool ClientDone { get; set; }

    /// <summary>The upstream finished sending.</summary>
    public bool UpstreamDone { get; set; }

    public bool UpstreamShut { get; set; }

    public bool ClientShut { get; set; }

    /// <summary>Interest registered with epoll for each socket (null: not registered).</summary>
    public uint? ClientMask { get; set; }

    public uint? UpstreamMask { get; set; }
}
