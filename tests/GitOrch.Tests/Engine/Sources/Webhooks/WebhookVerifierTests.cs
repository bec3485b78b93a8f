using System.Security.Cryptography;
using System.Text;
using GitOrch.Engine.Sources.Fetch;
using GitOrch.Engine.Sources.Webhooks;
using Xunit;

namespace GitOrch.Tests.Engine.Sources.Webhooks;

public sealed class WebhookVerifierTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"ref\":\"refs/heads/main\",\"after\":\"abc\"}");

    private static Func<string, string?> Headers(params (string Name, string Value)[] headers)
        => name => headers.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Value;

    [Fact]
    public void GitHub_signature_of_the_raw_body_is_accepted_and_any_other_body_or_secret_is_not()
    {
        var signature = "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes("s3cret"), Body)).ToLowerInvariant();
        Assert.True(WebhookVerifier.Verify(Headers(("X-Hub-Signature-256", signature)), Body, "s3cret"));
        Assert.False(WebhookVerifier.Verify(Headers(("X-Hub-Signature-256", signature)), Body.Append((byte)' ').ToArray(), "s3cret"));
        Assert.False(WebhookVerifier.Verify(Headers(("X-Hub-Signature-256", signature)), Body, "other"));
        Assert.False(WebhookVerifier.Verify(Headers(("X-Hub-Signature-256", "sha256=zz-not-hex")), Body, "s3cret"));
        Assert.False(WebhookVerifier.Verify(Headers(), Body, "s3cret"));
    }

    [Fact]
    public void GitLab_token_and_generic_hmac_header_are_accepted()
    {
        Assert.True(WebhookVerifier.Verify(Headers(("X-Gitlab-Token", "s3cret")), Body, "s3cret"));
        Assert.False(WebhookVerifier.Verify(Headers(("X-Gitlab-Token", "s3cre")), Body, "s3cret"));
        var hex = Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes("s3cret"), Body));
        Assert.True(WebhookVerifier.Verify(Headers(("X-Signature-256", hex)), Body, "s3cret"));
    }

    [Fact]
    public void Scrubber_removes_url_user_info_and_secret_values()
    {
        var text = SecretScrubber.Scrub("failed to fetch https://bot:hunter22@git.example.com/repo.git: token hunter22 rejected", new[] { "hunter22" });
        Assert.Equal("failed to fetch https://git.example.com/repo.git: token *** rejected", text);
    }
}
