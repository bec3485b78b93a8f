using System;

namespace GitOrch.Api.Client.Tls;

/// <summary>
/// What an agent joins with, like k3s: <c>K10&lt;sha256 of the CA's DER&gt;::&lt;agent token&gt;</c> pins the Engine's
/// CA by fingerprint; a plain token (the contents of <c>agent.token</c>) carries no CA, so the agent needs a CA file.
/// </summary>
public sealed class JoinToken
{
    public const string Prefix = "K10";
    private const string Separator = "::";

    private JoinToken(string token, string? caFingerprint)
    {
        Token = token;
        CaFingerprint = caFingerprint;
    }

    /// <summary>The bearer token sent to the Engine.</summary>
    public string Token { get; }

    /// <summary>Lowercase hex SHA-256 of the CA certificate, or null for a plain token.</summary>
    public string? CaFingerprint { get; }

    public static string Format(string caFingerprint, string token) => Prefix + caFingerprint.ToLowerInvariant() + Separator + token;

    /// <summary>Reads either form; <paramref name="source"/> (e.g. the file) names it in the error.</summary>
    /// <exception cref="FormatException">A K10 token whose fingerprint is not 64 hex digits, or an empty token.</exception>
    public static JoinToken Parse(string text, string source)
    {
        var trimmed = (text ?? "").Trim();
        var separator = trimmed.IndexOf(Separator, StringComparison.Ordinal);
        if (trimmed.StartsWith(Prefix, StringComparison.Ordinal) && separator > 0)
        {
            var fingerprint = trimmed.Substring(Prefix.Length, separator - Prefix.Length);
            var token = trimmed.Substring(separator + Separator.Length);
            if (!CertificateFingerprint.IsValid(fingerprint) || token.Length == 0)
            {
                throw new FormatException($"{source}: a K10 join token is K10<64 hex digits of the CA's SHA-256>::<token> (got a fingerprint of {fingerprint.Length} characters)");
            }

            return new JoinToken(token, fingerprint.ToLowerInvariant());
        }

        if (trimmed.Length == 0)
        {
            throw new FormatException($"{source} is empty: expected the Engine's agent token or its K10 join token");
        }

        return new JoinToken(trimmed, null);
    }
}
