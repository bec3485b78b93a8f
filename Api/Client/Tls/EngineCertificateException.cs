using System;
using System.Net.Http;

namespace GitOrch.Api.Client.Tls;

/// <summary>
/// The Engine's TLS certificate was refused (wrong CA, wrong host name, expired). An <see cref="HttpRequestException"/>
/// so callers that handle transport failures keep working; the message names the expected and actual CA fingerprints.
/// </summary>
public sealed class EngineCertificateException : HttpRequestException
{
    public EngineCertificateException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}
