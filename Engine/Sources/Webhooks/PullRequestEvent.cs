using System.Text.Json;

namespace GitOrch.Engine.Sources.Webhooks;

/// <summary>
/// A forge's "pull request closed/merged/reopened" notification. Forges keep refs/pull/N/head (GitHub, Gitea) and
/// refs/merge-requests/N/head (GitLab) after a PR closes, so the ref alone cannot say a preview is finished:
/// this event does.
/// </summary>
public readonly record struct PullRequestEvent(int Number, bool Open)
{
    /// <summary>GitHub/Gitea <c>pull_request</c> (action closed/reopened) or GitLab <c>Merge Request Hook</c> (close/merge/reopen); anything else is not one.</summary>
    public static bool TryParse(Func<string, string?> header, ReadOnlyMemory<byte> body, out PullRequestEvent result)
    {
        result = default;
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            if ((header("X-GitHub-Event") ?? header("X-Gitea-Event")) == "pull_request")
            {
                return From(Text(root, "action"), "closed", "reopened", root.TryGetProperty("number", out var n) ? n : default, out result);
            }

            if (header("X-Gitlab-Event") == "Merge Request Hook" && root.TryGetProperty("object_attributes", out var mr) && mr.ValueKind == JsonValueKind.Object)
            {
                var action = Text(mr, "action");
                return From(action == "merge" ? "close" : action, "close", "reopen", mr.TryGetProperty("iid", out var iid) ? iid : default, out result);
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }

    private static bool From(string? action, string closed, string reopened, JsonElement number, out PullRequestEvent result)
    {
        result = default;
        if ((action != closed && action != reopened) || number.ValueKind != JsonValueKind.Number || !number.TryGetInt32(out var n) || n < 0)
        {
            return false;
        }

        result = new PullRequestEvent(n, Open: action == reopened);
        return true;
    }

    private static string? Text(JsonElement obj, string name)
        => obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
