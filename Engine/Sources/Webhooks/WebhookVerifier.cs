using System.Security.Cryptography;
using System.Text;

namespace GitOrch.Engine.Sources.Webhooks;

/// <summary>
/// Checks a push notification against the source's webhook secret: GitHub's X-Hub-Signature-256
/// (HMAC-SHA256 of the raw body), GitLab's X-Gitlab-Token (the secret itself), or a generic
/// X-Signature-256 HMAC header for other servers. Every comparison is constant-time.
/// </summary>
public static class WebhookVerifier
{
    public const string GitHubHeader = "X-Hub-Signature-256";
    public const string GitLabHeader = "X-Gitlab-Token";
    public const string GenericHeader = "X-Signature-256";

    public static bool Verify(Func<string, string?> header, ReadOnlySpan<byte> body, string secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return false;
        }

        var gitlab = header(GitLabHeader);
        if (gitlab != null)
        {
            return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(gitlab), Encoding.UTF8.GetBytes(secret));
        }

        var signature = header(GitHubHeader) ?? header(GenericHeader);
        if (signature == null)
        {
            return false;
        }

        if (signature.StartsWith("sha256=", StringComparison.OrdinalIgnoreCase))
        {
            signature = signature[7..];
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(signature.Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }

    /// <summary>The GitHub-style header value for a body (tests and clients that send webhooks).</summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret)
        => "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)).ToLowerInvariant();
}
