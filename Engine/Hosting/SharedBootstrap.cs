using GitOrch.Engine.Security;
using GitOrch.Engine.Store.Etcd;

namespace GitOrch.Engine.Hosting;

/// <summary>
/// Data-directory files every Engine of one etcd datastore must share, so they all accept the same credentials:
/// the first Engine stores them in the datastore's bootstrap range (never served by the API), every later one
/// takes them from there and writes them into its own data directory (mode 0600) before it creates anything.
/// </summary>
internal static class SharedBootstrap
{
    /// <summary>The shared files, one line each (the TLS CA's ca.crt and ca.key join here).</summary>
    public static readonly IReadOnlyList<string> Files = new[]
    {
        ApiTokens.AdminFile,
        ApiTokens.AgentFile,
        Security.Tls.TlsFiles.CaCertificate,
        Security.Tls.TlsFiles.CaKey,
    };

    /// <summary>Takes the cluster's files (or offers this Engine's, if it is the first) and returns the tokens in force.</summary>
    public static async Task<ApiTokens> JoinAsync(EtcdObjectStore store, string dataDir, CancellationToken cancellationToken)
    {
        WriteAll(dataDir, await store.ReadBootstrapAsync(cancellationToken).ConfigureAwait(false));
        ApiTokens.LoadOrCreate(dataDir);
        Security.Tls.CertificateAuthority.LoadOrCreate(dataDir, TimeProvider.System).Dispose(); // the first Engine's CA becomes the cluster's
        var local = Files.Where(f => File.Exists(Path.Combine(dataDir, f))).ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(dataDir, f)));

        // Two first Engines may race: each offers only where nothing is stored yet, and both end with what etcd kept.
        WriteAll(dataDir, await store.OfferBootstrapAsync(local, cancellationToken).ConfigureAwait(false));
        return ApiTokens.LoadOrCreate(dataDir);
    }

    private static void WriteAll(string dataDir, IReadOnlyDictionary<string, byte[]> files)
    {
        foreach (var name in Files)
        {
            if (!files.TryGetValue(name, out var content))
            {
                continue;
            }

            var path = Path.Combine(dataDir, name);
            if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(content))
            {
                continue;
            }

            var tmp = path + ".tmp";
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var f = new FileStream(tmp, options))
            {
                f.Write(content);
            }

            File.Move(tmp, path, overwrite: true);
        }
    }
}
