using GitOrch.Api.Model;
using LibGit2Sharp;
using LibGit2Sharp.Handlers;

namespace GitOrch.Engine.Sources.Fetch;

/// <summary>
/// Credentials for one remote, read from the source's Secret (<c>username</c>/<c>password</c> or <c>token</c>).
/// <see cref="Secrets"/> lists the values the scrubber must hide wherever text leaves the Engine.
/// </summary>
public sealed class GitCredential
{
    public GitCredential(string username, string password)
    {
        Username = username;
        Password = password;
    }

    public string Username { get; }
    public string Password { get; }

    public IReadOnlyList<string> Secrets => new[] { Password, Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Username + ":" + Password)) };

    public CredentialsHandler Handler => (_, _, _) => new UsernamePasswordCredentials { Username = Username, Password = Password };

    /// <summary>From a Secret: username+password, or a token (sent as the password, which GitHub, Gitea and GitLab accept).</summary>
    public static GitCredential? FromSecret(Secret? secret)
    {
        if (secret == null)
        {
            return null;
        }

        var token = secret.GetString("token");
        var user = secret.GetString("username");
        var password = secret.GetString("password");
        if (!string.IsNullOrEmpty(token))
        {
            return new GitCredential(string.IsNullOrEmpty(user) ? "git" : user, token);
        }

        return string.IsNullOrEmpty(password) ? null : new GitCredential(user ?? "git", password);
    }
}
