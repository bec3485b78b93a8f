using System.Security.Cryptography.X509Certificates;
using dotnet_etcd;

namespace GitOrch.Engine.Store.Etcd;

/// <summary>
/// Builds the one <see cref="EtcdClient"/> an Engine uses: every member's URL in one channel (the client balances
/// and skips members that do not answer) and, with a CA file, TLS verified against that CA with an optional client
/// certificate (k3s' <c>--datastore-cafile/certfile/keyfile</c>).
/// </summary>
internal static class EtcdConnection
{
    public static EtcdClient Create(EtcdStoreOptions options)
    {
        var tls = options.CaFile != null || options.CertFile != null;
        var urls = string.Join(",", options.Endpoints.Select(e => (tls ? "https://" : "http://") + e.Authority));
        if (!tls)
        {
            return new EtcdClient(urls, configureChannelOptions: ConfigureChannel);
        }

        var ca = options.CaFile == null ? null : X509CertificateLoader.LoadCertificateFromFile(options.CaFile);
        var client = options.CertFile == null ? null
            : X509Certificate2.CreateFromPemFile(options.CertFile, options.KeyFile ?? throw new ArgumentException("--datastore-certfile needs --datastore-keyfile"));
        return new EtcdClient(urls, ssl =>
        {
            if (client != null)
            {
                ssl.ClientCertificates = new X509CertificateCollection { client };
            }

            if (ca != null)
            {
                ssl.RemoteCertificateValidationCallback = (_, cert, _, _) => cert != null && IsSignedBy(new X509Certificate2(cert), ca);
            }
        }, configureChannelOptions: ConfigureChannel);
    }

    private static void ConfigureChannel(Grpc.Net.Client.GrpcChannelOptions o)
    {
        // Start-up reads the whole object range in pages, and one page of large objects can exceed gRPC's 4 MiB default.
        o.MaxReceiveMessageSize = 64 * 1024 * 1024;
    }

    private static bool IsSignedBy(X509Certificate2 cert, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(cert);
    }
}
