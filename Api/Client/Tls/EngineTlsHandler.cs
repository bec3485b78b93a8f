using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace GitOrch.Api.Client.Tls;

/// <summary>
/// The transport of a client that trusts one <see cref="EngineCa"/>: an <see cref="HttpClientHandler"/> whose
/// certificate callback checks the chain against that CA. When the handshake fails because of it, the request fails
/// with an <see cref="EngineCertificateException"/> saying why, instead of the platform's generic "SSL connection
/// could not be established".
/// </summary>
public sealed class EngineTlsHandler : DelegatingHandler
{
    private readonly EngineCa _ca;
    private string? _lastRefusal;

    /// <param name="ca">The CA to trust.</param>
    /// <param name="inner">The transport to configure; default a new <see cref="HttpClientHandler"/>.</param>
    public EngineTlsHandler(EngineCa ca, HttpClientHandler? inner = null)
        : base(inner ?? new HttpClientHandler())
    {
        _ca = ca ?? throw new ArgumentNullException(nameof(ca));
        ((HttpClientHandler)InnerHandler!).ServerCertificateCustomValidationCallback = (request, leaf, chain, errors) =>
        {
            var refusal = _ca.Check(leaf, chain, errors, request.RequestUri?.Host ?? "?");
            if (refusal != null)
            {
                _lastRefusal = refusal;
            }

            return refusal == null;
        };
    }

    public EngineCa Ca => _ca;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e is not EngineCertificateException && Interlocked.Exchange(ref _lastRefusal, null) is { } refusal)
        {
            throw new EngineCertificateException(refusal, e);
        }
    }
}
