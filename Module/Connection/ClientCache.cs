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
        var ca = ContextResolver.TrustFor(context);
        var key = context.Server + "\n" + token + "\n" + ca?.Fingerprint;
        lock (Clients)
        {
            if (!Clients.TryGetValue(key, out var client))
            {
                client = new GitOrchClient(new Uri(context.Server), token, new Infrastructure.RequestLog(Transport(ca)));
                Clients[key] = client;
            }

            return client;
        }
    }

    /// <summary>Over https the transport trusts exactly the context's CA.</summary>
    public static System.Net.Http.HttpMessageHandler Transport(Api.Client.Tls.EngineCa? ca)
        => ca == null ? new System.Net.Http.HttpClientHandler() : new Api.Client.Tls.EngineTlsHandler(ca);
}
