using System;
using System.Collections.Generic;
using System.Net.Http;
using GitOrch.Api.Client.Failover;

namespace GitOrch.Api.Client;

public sealed partial class GitOrchClient
{
    /// <summary>
    /// A client of several Engines of one cluster (<c>--server a,b,c</c>) that moves to the next when one cannot be
    /// reached. <paramref name="inner"/> is the transport under the failover (default: a plain handler; pass the one
    /// that trusts the cluster's CA where there is one).
    /// </summary>
    public static GitOrchClient ForServers(IReadOnlyList<Uri> servers, string token, HttpMessageHandler? inner = null)
        => servers.Count == 1 && inner == null
            ? new GitOrchClient(servers[0], token)
            : new GitOrchClient(servers[0], token, new FailoverHandler(servers, inner ?? new HttpClientHandler()));
}
