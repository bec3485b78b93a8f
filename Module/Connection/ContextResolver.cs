using System;
using System.IO;

namespace GitOrch.Module.Connection;

/// <summary>
/// Decides where requests go, in this order: GITORCH_SERVER / GITORCH_TOKEN (each overrides its part), the saved
/// config (Connect-GitOrch), then the local engine's defaults (http://127.0.0.1:6443 and ~/.gitorch/admin.token).
/// </summary>
internal static class ContextResolver
{
    public const string DefaultServer = Api.Client.LocalEngine.DefaultUrl;

    public static string DefaultDataPath => Api.Client.LocalEngine.DefaultDataDir;

    public static string DefaultTokenFile => Path.Combine(DefaultDataPath, "admin.token");

    public static GitOrchContext Resolve()
    {
        var saved = ContextFile.Load();
        var envServer = Environment.GetEnvironmentVariable("GITORCH_SERVER");
        var envToken = Environment.GetEnvironmentVariable("GITORCH_TOKEN");

        string server;
        string origin;
        if (!string.IsNullOrEmpty(envServer))
        {
            server = envServer!;
            origin = "Environment";
        }
        else if (!string.IsNullOrEmpty(saved?.Server))
        {
            server = saved!.Server!;
            origin = "Config";
        }
        else
        {
            server = DefaultServer;
            origin = "Default";
        }

        string? token = null;
        string? tokenFile = null;
        string tokenSource;
        if (!string.IsNullOrEmpty(envToken))
        {
            token = envToken;
            tokenSource = "GITORCH_TOKEN";
        }
        else if (saved != null && origin != "Environment" && !string.IsNullOrEmpty(saved.Token))
        {
            token = saved.Token;
            tokenSource = "config";
        }
        else if (saved != null && origin != "Environment" && !string.IsNullOrEmpty(saved.TokenFile))
        {
            tokenFile = saved.TokenFile;
            tokenSource = tokenFile!;
        }
        else
        {
            tokenFile = DefaultTokenFile;
            tokenSource = tokenFile;
        }

        return new GitOrchContext(server.TrimEnd('/'), token, tokenFile, saved?.Namespace ?? "default", origin, tokenSource, ContextFile.Path);
    }

    /// <summary>The token to send: given directly, or read from the token file now (the engine may have just created it).</summary>
    public static string ReadToken(GitOrchContext context)
    {
        if (!string.IsNullOrEmpty(context.Token))
        {
            return context.Token!;
        }

        if (context.TokenFile != null && File.Exists(context.TokenFile))
        {
            return File.ReadAllText(context.TokenFile).Trim();
        }

        return "";
    }
}
