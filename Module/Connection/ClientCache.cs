using System;
using System.Collections.Generic;
using GitOrch.Api.Client;

namespace GitOrch.Module.Connection;

/// <summary>One <see cref="GitOrchClient"/> per server and token for the whole process: clients are thread-safe and keep connections warm.</summary>
internal static class ClientCache
{
    private static readonly Dictionary<string, GitOrchClient> Clients = new(StringComparer.Ordinal);

    public static GitOrchClient For(GitOrchContext context)
    {
        var token = ContextResolver.ReadToken(context);
        var key = context.Server + "\n" + token;
        lock (Clients)
        {
            if (!Clients.TryGetValue(key, out var client))
            {
                client = GitOrchClient.ForServers(Api.Client.Failover.ServerList.Parse(context.Server), token, new Infrastructure.RequestLog());
                Clients[key] = client;
            }

            return client;
        }
    }
}
