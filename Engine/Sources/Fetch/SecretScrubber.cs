using System.Text.RegularExpressions;

namespace GitOrch.Engine.Sources.Fetch;

/// <summary>
/// Removes credentials from text before it reaches status, events or logs: user-info in URLs and every
/// known secret value (libgit2 error messages can echo either).
/// </summary>
public static partial class SecretScrubber
{
    [GeneratedRegex(@"(?<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s]+@")]
    private static partial Regex UserInfo();

    public static string ScrubUrl(string url) => UserInfo().Replace(url, "${scheme}");

    public static string Scrub(string? text, IEnumerable<string>? secrets = null)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }

        var result = UserInfo().Replace(text, "${scheme}");
        if (secrets != null)
        {
            foreach (var s in secrets)
            {
                if (s.Length >= 3)
                {
                    result = result.Replace(s, "***", StringComparison.Ordinal);
                }
            }
        }

        return result;
    }
}
