using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GitOrch.Engine.Security.Tls;

/// <summary>
/// The certificate the HTTPS listener serves (<c>server.crt</c>, <c>server.key</c>; ECDSA P-256, one year), signed by
/// the Engine's <see cref="CertificateAuthority"/>. Kept across restarts while it still fits; issued anew when the
/// names it must carry changed, when another CA signed it, or when it expires within <see cref="RenewBefore"/>.
/// The CA stays, so clients that pinned it keep working through a re-issue.
/// </summary>
public static class ServingCertificate
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);

    /// <summary>A certificate this close to its end is re-issued at start.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    /// <returns>The certificate with its key, and whether it was issued now (for the start-up log).</returns>
    public static (X509Certificate2 Certificate, bool Issued) LoadOrIssue(string dataDir, CertificateAuthority ca, SubjectAltNames names, TimeProvider time)
    {
        var certPath = Path.Combine(dataDir, TlsFiles.ServerCertificate);
        var keyPath = Path.Combine(dataDir, TlsFiles.ServerKey);
        var existing = TlsFiles.TryLoad(certPath, keyPath);
        if (existing != null && Fits(existing, ca, names, time.GetUtcNow()))
        {
            return (existing, false);
        }

        existing?.Dispose();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=gitorch-engine", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // serverAuth
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca.Certificate, true, false));
        request.CertificateExtensions.Add(names.ToExtension());
        var now = time.GetUtcNow();
        var notAfter = now + Lifetime < ca.Certificate.NotAfter ? now + Lifetime : new DateTimeOffset(ca.Certificate.NotAfter.ToUniversalTime());
        using var issued = request.Create(ca.Certificate, now.AddMinutes(-5), notAfter, RandomNumberGenerator.GetBytes(16));
        TlsFiles.WritePrivate(keyPath, key.ExportPkcs8PrivateKeyPem());
        TlsFiles.WritePublic(certPath, Api.Client.Tls.PemCertificate.ToPem(issued));
        return (TlsFiles.TryLoad(certPath, keyPath) ?? throw new IOException($"{certPath} could not be read back after it was written"), true);
    }

    private static bool Fits(X509Certificate2 certificate, CertificateAuthority ca, SubjectAltNames names, DateTimeOffset now)
        => certificate.IssuerName.RawData.AsSpan().SequenceEqual(ca.Certificate.SubjectName.RawData)
            && IsSignedBy(certificate, ca.Certificate)
            && certificate.NotAfter.ToUniversalTime() - now.UtcDateTime > RenewBefore
            && SubjectAltNames.Of(certificate).SameAs(names);

    private static bool IsSignedBy(X509Certificate2 certificate, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
