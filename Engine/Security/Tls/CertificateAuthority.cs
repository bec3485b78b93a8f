using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GitOrch.Api.Client.Tls;

namespace GitOrch.Engine.Security.Tls;

/// <summary>
/// The Engine's own CA, like k3s': made at first start (<c>ca.crt</c>, <c>ca.key</c>; ECDSA P-256, 10 years) and kept
/// for good, because agents and kubeconfigs pin it. It signs the serving certificate.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    /// <summary>How long a new CA is valid.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(3650);

    private CertificateAuthority(X509Certificate2 certificate)
    {
        Certificate = certificate;
        Fingerprint = CertificateFingerprint.Sha256(certificate);
        Pem = PemCertificate.ToPem(certificate);
    }

    /// <summary>The CA certificate with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Lowercase hex SHA-256 of the CA's DER bytes (what a K10 join token carries).</summary>
    public string Fingerprint { get; }

    /// <summary>The certificate as PEM (kubeconfig's certificate-authority-data is its base64).</summary>
    public string Pem { get; }

    /// <summary>Loads the CA of <paramref name="dataDir"/>, creating it when there is none (an upgraded data dir gets one).</summary>
    public static CertificateAuthority LoadOrCreate(string dataDir, TimeProvider time)
    {
        var certPath = Path.Combine(dataDir, TlsFiles.CaCertificate);
        var keyPath = Path.Combine(dataDir, TlsFiles.CaKey);
        var existing = TlsFiles.TryLoad(certPath, keyPath);
        if (existing != null)
        {
            return new CertificateAuthority(existing);
        }

        if (File.Exists(certPath))
        {
            // A CA certificate without its key cannot sign: refuse rather than silently replace what agents pin.
            throw new IOException($"{certPath} exists but its key {keyPath} is missing or unreadable: restore the key, or remove both files to make a new CA (agents and kubeconfigs must then be given the new one)");
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=gitorch-ca@" + time.GetUtcNow().ToUnixTimeSeconds(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = time.GetUtcNow();
        var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now + Lifetime);
        TlsFiles.WritePrivate(keyPath, key.ExportPkcs8PrivateKeyPem());
        TlsFiles.WritePublic(certPath, PemCertificate.ToPem(certificate));
        return new CertificateAuthority(certificate);
    }

    public void Dispose() => Certificate.Dispose();
}
