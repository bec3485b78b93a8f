using System;
using System.Linq;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace GitOrch.Api.Client.Tls;

/// <summary>
/// The one CA a client trusts for the Engine's serving certificate, given as the certificate (<c>ca.crt</c>,
/// kubeconfig data) or only its SHA-256 fingerprint (a K10 join token). The system's trust store plays no part:
/// the chain must end at exactly this CA, and the certificate must name the host the client dialled.
/// netstandard2.0 has no <c>X509ChainPolicy.CustomTrustStore</c>, so the chain is built with the CA as an extra
/// certificate, unknown roots allowed, and the root is then compared by fingerprint.
/// </summary>
public sealed class EngineCa
{
    private EngineCa(X509Certificate2? certificate, string fingerprint, string source)
    {
        Certificate = certificate;
        Fingerprint = fingerprint;
        Source = source;
    }

    /// <summary>The CA certificate, when known (null for a fingerprint-only trust).</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>Lowercase hex SHA-256 of the CA's DER bytes.</summary>
    public string Fingerprint { get; }

    /// <summary>Where the trust came from (a file, a kubeconfig, a join token), for error messages.</summary>
    public string Source { get; }

    public static EngineCa FromCertificate(X509Certificate2 certificate, string source)
        => new(certificate, CertificateFingerprint.Sha256(certificate), source);

    /// <summary>A PEM file such as <c>&lt;data-dir&gt;/ca.crt</c>.</summary>
    public static EngineCa FromPemFile(string path) => FromCertificate(PemCertificate.Load(path), path);

    public static EngineCa FromPem(string pem, string source) => FromCertificate(PemCertificate.Parse(pem, source), source);

    /// <summary>Trusts whichever CA the server presents in its chain, if its fingerprint is <paramref name="sha256Hex"/>.</summary>
    public static EngineCa FromFingerprint(string sha256Hex, string source)
    {
        if (!CertificateFingerprint.IsValid(sha256Hex))
        {
            throw new FormatException($"{source}: a CA fingerprint is 64 hex digits (SHA-256), got \"{sha256Hex}\"");
        }

        return new EngineCa(null, sha256Hex.ToLowerInvariant(), source);
    }

    /// <summary>Null when <paramref name="leaf"/> is acceptable for <paramref name="host"/>; otherwise why not, naming both fingerprints.</summary>
    public string? Check(X509Certificate2? leaf, X509Chain? presented, SslPolicyErrors errors, string host)
    {
        if (leaf == null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return $"the Engine at {host} presented no TLS certificate";
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
        if (Certificate != null)
        {
            chain.ChainPolicy.ExtraStore.Add(Certificate);
        }

        // What the server sent along (the Engine sends its CA), so a fingerprint-only trust finds the root.
        foreach (var element in presented?.ChainElements.Cast<X509ChainElement>() ?? Enumerable.Empty<X509ChainElement>())
        {
            chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }

        chain.Build(leaf);
        var elements = chain.ChainElements.Cast<X509ChainElement>().ToList();
        var root = elements.Count > 1 ? elements[elements.Count - 1].Certificate : null;
        var actual = root == null ? $"\"{leaf.Issuer}\", which the client does not have" : "sha256:" + CertificateFingerprint.Sha256(root);
        if (root == null || !string.Equals(CertificateFingerprint.Sha256(root), Fingerprint, StringComparison.Ordinal))
        {
            return $"the Engine at {host} presented a certificate that is not issued by the expected CA: expected CA fingerprint sha256:{Fingerprint} (from {Source}), the server's certificate is issued by {actual}";
        }

        var problem = chain.ChainStatus.FirstOrDefault(s => s.Status != X509ChainStatusFlags.NoError && s.Status != X509ChainStatusFlags.UntrustedRoot);
        if (problem.Status != X509ChainStatusFlags.NoError)
        {
            return $"the Engine's certificate at {host} (CA sha256:{Fingerprint}) is not valid: {problem.Status} {problem.StatusInformation.Trim()}";
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return $"the Engine's certificate does not name {host}: start the engine with --tls-san {host} (CA sha256:{Fingerprint})";
        }

        return null;
    }

    public override string ToString() => "sha256:" + Fingerprint;
}
