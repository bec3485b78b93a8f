using System;
using System.IO;

namespace GitOrch.Module.Connection;

/// <summary>
/// Decides where requests go, in this order: GITORCH_SERVER / GITORCH_TOKEN (each overrides its part), the saved
/// config (Connect-GitOrch), then the local engine's defaults (https://127.0.0.1:6443, ~/.gitorch/admin.token and
/// ~/.gitorch/ca.crt). The CA that verifies the Engine: GITORCH_CA, the saved one, then ~/.gitorch/ca.crt.
/// </summary>
internal static class ContextResolver
{
    public const string DefaultServer = Api.Client.LocalEngine.DefaultUrl;

    public static string DefaultDataPath => Api.Client.LocalEngine.DefaultDataDir;

    public static string DefaultTokenFile => Path.Combine(DefaultDataPath, "admin.token");

    /// <summary>The local engine's CA: <c>~/.gitorch/ca.crt</c>.</summary>
    public static string DefaultCaFile => Path.Combine(DefaultDataPath, Api.Client.LocalEngine.CaFile);

    /// <summary>GITORCH_CA when set, else <see cref="DefaultCaFile"/>.</summary>
    public static string DefaultCaFileOrEnvironment
        => string.IsNullOrEmpty(Environment.GetEnvironmentVariable("GITORCH_CA")) ? DefaultCaFile : Path.GetFullPath(Environment.GetEnvironmentVariable("GITORCH_CA")!);

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

        return new GitOrchContext(server.TrimEnd('/'), token, tokenFile, saved?.Namespace ?? "default", origin, tokenSource, ContextFile.Path, ResolveCa(saved, origin));
    }

    /// <summary>GITORCH_CA (a file), then the saved CA (data or file) unless the server came from the environment, then the local engine's ca.crt.</summary>
    private static ContextCa ResolveCa(SavedContext? saved, string origin)
    {
        var envCa = Environment.GetEnvironmentVariable("GITORCH_CA");
        if (!string.IsNullOrEmpty(envCa))
        {
            return new ContextCa { File = Path.GetFullPath(envCa), Source = "GITORCH_CA" };
        }

        if (saved != null && origin != "Environment" && !string.IsNullOrEmpty(saved.CertificateAuthorityData))
        {
            var source = saved.Kubeconfig != null ? $"kubeconfig {saved.Kubeconfig} (context {saved.KubeconfigContext})" : "config";
            return new ContextCa { Pem = saved.CertificateAuthorityData, Source = source };
        }

        if (saved != null && origin != "Environment" && !string.IsNullOrEmpty(saved.CertificateAuthority))
        {
            return new ContextCa { File = saved.CertificateAuthority, Source = saved.CertificateAuthority! };
        }

        return new ContextCa { File = DefaultCaFile, Source = DefaultCaFile };
    }

    /// <summary>
    /// The CA to verify an https server with; null for http. A missing CA file is an <see cref="System.Net.Http.HttpRequestException"/>
    /// (shown as "cannot reach the engine") because it nearly always means the local engine never started.
    /// </summary>
    public static Api.Client.Tls.EngineCa? TrustFor(GitOrchContext context)
    {
        if (!context.Server.StartsWith("https:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (context.CaPem != null)
        {
            return Api.Client.Tls.EngineCa.FromPem(context.CaPem, context.CertificateAuthority ?? "config");
        }

        if (context.CaFile != null && File.Exists(context.CaFile))
        {
            return Api.Client.Tls.EngineCa.FromPemFile(context.CaFile);
        }

        throw new System.Net.Http.HttpRequestException($"no CA certificate at {context.CaFile} to verify {context.Server} (the engine writes ca.crt into its data directory at start; "
            + "connect with Connect-GitOrch -Kubeconfig FILE or -CertificateAuthority FILE)");
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
