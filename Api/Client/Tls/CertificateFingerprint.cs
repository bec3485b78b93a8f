using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace GitOrch.Api.Client.Tls;

/// <summary>The SHA-256 of a certificate's DER bytes as 64 lowercase hex digits: what a K10 join token pins.</summary>
public static class CertificateFingerprint
{
    public static string Sha256(X509Certificate2 certificate)
    {
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(certificate.RawData);
        var hex = new StringBuilder(hash.Length * 2);
        foreach (var b in hash)
        {
            hex.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return hex.ToString();
    }

    /// <summary>True for 64 hex digits (either case).</summary>
    public static bool IsValid(string? text)
    {
        if (text == null || text.Length != 64)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!Uri.IsHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
