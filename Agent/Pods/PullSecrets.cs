using System.Text;
using System.Text.Json;
using Docker.DotNet.Models;
using GitOrch.Agent.Runtime;
using GitOrch.Api.Model;

namespace GitOrch.Agent.Pods;

/// <summary>Finds registry credentials for an image in the Pod's <c>imagePullSecrets</c> (<c>kubernetes.io/dockerconfigjson</c>).</summary>
public static class PullSecrets
{
    public const string DockerConfigJsonType = SecretTypes.DockerConfigJson;
    public const string DockerConfigJsonKey = SecretTypes.DockerConfigJsonKey;

    public static async Task<AuthConfig?> FindAsync(Pod pod, ImageReference image, PodResources resources, CancellationToken ct)
    {
        foreach (var reference in pod.Spec?.ImagePullSecrets ?? [])
        {
            var secret = await resources.SecretAsync(reference.Name ?? "", ct);
            var json = secret?.GetString(DockerConfigJsonKey);
            if (json == null)
            {
                continue; // Kubernetes, too, pulls without a missing pull secret
            }

            var auth = Match(json, image.Registry);
            if (auth != null)
            {
                return auth;
            }
        }

        return null;
    }

    /// <summary>The entry of a docker config.json whose key names <paramref name="registry"/> (with or without scheme/path).</summary>
    public static AuthConfig? Match(string dockerConfigJson, string registry)
    {
        using var doc = JsonDocument.Parse(dockerConfigJson);
        if (!doc.RootElement.TryGetProperty("auths", out var auths) || auths.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var entry in auths.EnumerateObject())
        {
            if (!string.Equals(HostOf(entry.Name), registry, StringComparison.OrdinalIgnoreCase)
                && !(registry == ImageReference.DockerHub && HostOf(entry.Name) is "index.docker.io" or "registry-1.docker.io"))
            {
                continue;
            }

            var e = entry.Value;
            string? user = e.TryGetProperty("username", out var u) ? u.GetString() : null;
            string? password = e.TryGetProperty("password", out var p) ? p.GetString() : null;
            if ((user == null || password == null) && e.TryGetProperty("auth", out var a) && a.GetString() is { } b64)
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(b64));
                var colon = pair.IndexOf(':');
                if (colon > 0)
                {
                    user = pair[..colon];
                    password = pair[(colon + 1)..];
                }
            }

            return new AuthConfig { Username = user, Password = password, ServerAddress = registry };
        }

        return null;
    }

    private static string HostOf(string key)
    {
        var s = key;
        var scheme = s.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            s = s[(scheme + 3)..];
        }

        var slash = s.IndexOf('/');
        return slash >= 0 ? s[..slash] : s;
    }
}
