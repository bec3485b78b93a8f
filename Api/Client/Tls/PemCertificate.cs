using System;
using System.IO;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace GitOrch.Api.Client.Tls;

/// <summary>
/// PEM text of X.509 certificates (<c>ca.crt</c>, kubeconfig's <c>certificate-authority-data</c>). Read by hand
/// because netstandard2.0 has no <c>X509Certificate2.CreateFromPem</c>: the first CERTIFICATE block is decoded to DER.
/// </summary>
public static class PemCertificate
{
    private const string Begin = "-----BEGIN CERTIFICATE-----";
    private const string End = "-----END CERTIFICATE-----";

    /// <summary>The first certificate in <paramref name="pem"/>; <paramref name="source"/> names it in the error.</summary>
    /// <exception cref="InvalidDataException">No CERTIFICATE block, or one that is not base64 DER.</exception>
    public static X509Certificate2 Parse(string pem, string source)
    {
        var start = (pem ?? "").IndexOf(Begin, StringComparison.Ordinal);
        var end = start < 0 ? -1 : pem!.IndexOf(End, start, StringComparison.Ordinal);
        if (start < 0 || end < 0)
        {
            throw new InvalidDataException($"{source} holds no PEM certificate (expected a \"{Begin}\" block)");
        }

        var body = pem!.Substring(start + Begin.Length, end - start - Begin.Length);
        try
        {
            return new X509Certificate2(Convert.FromBase64String(body.Replace("\r", "").Replace("\n", "").Trim()));
        }
        catch (Exception e) when (e is FormatException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidDataException($"{source} holds a CERTIFICATE block that is not a valid certificate: {e.Message}", e);
        }
    }

    /// <summary>Reads <paramref name="path"/> (PEM); a missing file is a <see cref="FileNotFoundException"/> naming it.</summary>
    public static X509Certificate2 Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"CA certificate file {path} does not exist", path);
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>The PEM text of <paramref name="certificate"/> (64-column base64, as openssl writes it).</summary>
    public static string ToPem(X509Certificate2 certificate)
    {
        var base64 = Convert.ToBase64String(certificate.RawData);
        var text = new StringBuilder(Begin).Append('\n');
        for (var i = 0; i < base64.Length; i += 64)
        {
            text.Append(base64, i, Math.Min(64, base64.Length - i)).Append('\n');
        }

        return text.Append(End).Append('\n').ToString();
    }
}
