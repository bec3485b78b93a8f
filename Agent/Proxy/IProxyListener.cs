using System.Net;

namespace GitOrch.Agent.Proxy;

/// <summary>A listening port of the proxy (copy-loop or epoll engine). Disposing stops new connections only.</summary>
internal interface IProxyListener : IDisposable
{
    IPEndPoint Endpoint { get; }
}
