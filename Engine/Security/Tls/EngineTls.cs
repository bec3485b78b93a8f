using System.Net;
using System.Security.Cryptography.X509Certificates;
using GitOrch.Api.Client.Tls;

namespace GitOrch.Engine.Security.Tls;

/// <summary>
/// The TLS material of one Engine run: its CA and the serving certificate for this run's names, loaded or made in
/// the data directory before the listener starts, plus the files clients read after it started (kubeconfig, K10
/// join token). A data directory from before TLS is upgraded in place: its tokens and database stay as they are.
/// </summary>
public sealed class EngineTls : IDisposable
{
    private EngineTls(CertificateAuthority ca, X509Certificate2 serving, bool issued)
    {
        Ca = ca;
        ServingCertificate = serving;
        Issued = issued;
    }

    public CertificateAuthority Ca { get; }

    public X509Certificate2 ServingCertificate { get; }

    /// <summary>True when the serving certificate was issued in this start (first start, or its names changed).</summary>
    public bool Issued { get; }

    public static EngineTls Prepare(string dataDir, IPEndPoint listen, IEnumerable<string> extraNames, TimeProvider time)
    {
        var ca = CertificateAuthority.LoadOrCreate(dataDir, time);
        try
        {
            var (serving, issued) = Tls.ServingCertificate.LoadOrIssue(dataDir, ca, SubjectAltNames.For(listen, extraNames), time);
            return new EngineTls(ca, serving, issued);
        }
        catch
        {
            ca.Dispose();
            throw;
        }
    }

    /// <summary>The CA without its key, for clients in this process (the embedded agent, tests).</summary>
    public EngineCa TrustedCa(string dataDir) => EngineCa.FromPem(Ca.Pem, Path.Combine(dataDir, TlsFiles.CaCertificate));

    /// <summary>Writes kubeconfig.yaml and join.token for the address actually bound; returns the K10 join token.</summary>
    public string WriteClientFiles(string dataDir, Uri server, ApiTokens tokens)
    {
        KubeconfigFile.Write(dataDir, server, Ca.Pem, tokens.Admin);
        var join = JoinToken.Format(Ca.Fingerprint, tokens.Agent);
        TlsFiles.WritePrivate(Path.Combine(dataDir, TlsFiles.JoinToken), join + "\n");
        return join;
    }

    public void Dispose()
    {
        ServingCertificate.Dispose();
        Ca.Dispose();
    }
}
