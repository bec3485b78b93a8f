using GitOrch.Api.Model;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Sources.Fetch;

public static class SourceCredentials
{
    /// <summary>The credential of spec.secretRef (null when none is set); InvalidOperationException when the Secret is missing or empty.</summary>
    public static GitCredential? Resolve(IObjectStore store, string ns, GitSourceSpec spec)
    {
        var secretName = spec.SecretRef?.Name;
        if (string.IsNullOrEmpty(secretName))
        {
            return null;
        }

        var secret = store.Get<Secret>(ns, secretName) ?? throw new InvalidOperationException($"secret {ns}/{secretName} (spec.secretRef) not found");
        return GitCredential.FromSecret(secret) ?? throw new InvalidOperationException($"secret {ns}/{secretName} has neither username/password nor token");
    }

    /// <summary>The webhook secret of spec.webhook.secretRef (key <c>token</c> or <c>secret</c>), or null.</summary>
    public static string? WebhookSecret(IObjectStore store, string ns, GitSourceSpec spec)
    {
        var secretName = spec.Webhook?.SecretRef?.Name;
        if (string.IsNullOrEmpty(secretName))
        {
            return null;
        }

        var secret = store.Get<Secret>(ns, secretName);
        return secret?.GetString("token") ?? secret?.GetString("secret");
    }
}
