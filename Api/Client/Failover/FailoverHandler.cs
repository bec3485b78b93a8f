using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace GitOrch.Api.Client.Failover;

/// <summary>
/// Sends each request to the current Engine of a list and, when that one cannot be reached (connection refused,
/// reset, no route: an <see cref="HttpRequestException"/>), moves to the next and sends it there, once around the
/// list. The Engine that answered stays current, so later calls and re-opened watches go there too; a watch's
/// client resumes from its last resourceVersion, which every Engine of one datastore serves from its change log.
/// An Engine that answers, even with an error, is not skipped: its answer is the answer.
/// </summary>
public sealed class FailoverHandler : DelegatingHandler
{
    private readonly IReadOnlyList<Uri> _servers;
    private int _current;

    public FailoverHandler(IReadOnlyList<Uri> servers, HttpMessageHandler inner)
        : base(inner)
    {
        if (servers == null || servers.Count == 0)
        {
            throw new ArgumentException("at least one server is needed", nameof(servers));
        }

        _servers = servers;
    }

    /// <summary>The Engine requests go to now.</summary>
    public Uri Current => _servers[Volatile.Read(ref _current) % _servers.Count];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content != null)
        {
            // A body may have to be sent twice.
            await request.Content.LoadIntoBufferAsync().ConfigureAwait(false);
        }

        var start = Volatile.Read(ref _current);
        for (var attempt = 0; ; attempt++)
        {
            var index = (start + attempt) % _servers.Count;
            request.RequestUri = Retarget(request.RequestUri!, _servers[index]);
            try
            {
                var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                Interlocked.Exchange(ref _current, index);
                return response;
            }
            catch (HttpRequestException) when (attempt + 1 < _servers.Count && !cancellationToken.IsCancellationRequested)
            {
                // This Engine is unreachable: try the next.
            }
        }
    }

    private static Uri Retarget(Uri uri, Uri server)
        => new UriBuilder(uri) { Scheme = server.Scheme, Host = server.Host, Port = server.Port }.Uri;
}
