using System.Security.Cryptography.X509Certificates;

namespace GitOrch.Engine.Security.Tls;

/// <summary>
/// The TLS files of a data directory and how they are written: certificates world-readable (0644), keys 0600 from
/// the first byte, each through a temp file and a rename so a crash never leaves half a key.
/// </summary>
public static class TlsFiles
{
    public const string CaCertificate = "ca.crt";
    public const string CaKey = "ca.key";
    public const string ServerCertificate = "server.crt";
    public const string ServerKey = "server.key";
    public const string Kubeconfig = "kubeconfig.yaml";
    public const string JoinToken = "join.token";

    /// <summary>Writes a secret (key, token, kubeconfig with a token): mode 0600.</summary>
    public static void WritePrivate(string path, string text) => Write(path, text, UnixFileMode.UserRead | UnixFileMode.UserWrite);

    /// <summary>Writes a certificate: mode 0644.</summary>
    public static void WritePublic(string path, string text)
        => Write(path, text, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

    /// <summary>Certificate and key from their PEM files; null when either is missing or unreadable (then it is made anew).</summary>
    public static X509Certificate2? TryLoad(string certificatePath, string keyPath)
    {
        if (!File.Exists(certificatePath) || !File.Exists(keyPath))
        {
            return null;
        }

        try
        {
            return X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    private static void Write(string path, string text, UnixFileMode mode)
    {
        var tmp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        using (var stream = new FileStream(tmp, options))
        {
            stream.Write(System.Text.Encoding.UTF8.GetBytes(text));
            stream.Flush(flushToDisk: true);
        }

        File.Move(tmp, path, overwrite: true);
    }
}
