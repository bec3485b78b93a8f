using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace GitOrch.Api.Client.Tls;

/// <summary>
/// Turns a fingerprint-only trust (K10 join token) into the CA certificate, like a k3s agent: read the Engine's
/// <c>/cacerts</c> without verifying the connection, then accept the CA only if its SHA-256 is the pinned one. No
/// token is sent on that connection; every later request verifies the Engine against the fetched CA.
/// </summary>
public static class CaBootstrap
{
    public const string Path = "/cacerts";

    /// <returns><paramref name="pinned"/> itself when it already holds the certificate, else the verified CA.</returns>
    /// <exception cref="EngineCertificateException">The Engine serves a CA with another fingerprint.</exception>
    public static async Task<EngineCa> ResolveAsync(Uri server, EngineCa pinned, CancellationToken cancellationToken = default)
    {
        if (pinned.Certificate != null)
        {
            return pinned;
        }

        using var handler = new HttpClientHandler
        {
            // Unverified on purpose: what this connection returns is checked by fingerprint below.
#pragma warning disable CA5359
            ServerCertificateCustomValidationCallback = (_, _, _, _) => true,
#pragma warning restore CA5359
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var pem = await http.GetStringAsync(new Uri(server, Path)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var served = EngineCa.FromPem(pem, server + Path.TrimStart('/'));
        if (!string.Equals(served.Fingerprint, pinned.Fingerprint, StringComparison.Ordinal))
        {
            throw new EngineCertificateException($"the Engine at {server} serves a CA with fingerprint sha256:{served.Fingerprint}, but {pinned.Source} expects sha256:{pinned.Fingerprint}", null);
        }

        return EngineCa.FromCertificate(served.Certificate!, pinned.Source);
    }
}
