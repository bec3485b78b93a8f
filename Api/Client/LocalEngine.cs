using System;
using System.IO;

namespace GitOrch.Api.Client;

/// <summary>
/// Where a local Engine is found when nothing is configured: <c>gitorch server</c>'s defaults (data directory
/// <c>~/.gitorch</c>, address <c>https://127.0.0.1:6443</c>), the token file the server wrote there and its CA (<c>ca.crt</c>).
/// </summary>
public static class LocalEngine
{
    public const string DefaultUrl = "https://127.0.0.1:6443";

    /// <summary>The Engine's CA certificate in its data directory (PEM).</summary>
    public const string CaFile = "ca.crt";

    public static string DefaultDataDir => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".gitorch");

    /// <summary>A client for the Engine whose data directory is <paramref name="dataDir"/>, with its admin token and trusting its CA.</summary>
    /// <exception cref="FileNotFoundException">No token file: the Engine never ran with that data directory.</exception>
    public static GitOrchClient Connect(string? dataDir = null, string? url = null, string tokenFile = "admin.token")
    {
        var path = Path.Combine(dataDir ?? DefaultDataDir, tokenFile);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"no GitOrch token at {path}: start the engine (gitorch server) or connect with an explicit server and token", path);
        }

        var uri = new Uri(url ?? DefaultUrl);
        var token = File.ReadAllText(path).Trim();
        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            return new GitOrchClient(uri, token);
        }

        return new GitOrchClient(uri, token, Tls.EngineCa.FromPemFile(Path.Combine(dataDir ?? DefaultDataDir, CaFile)));
    }
}
