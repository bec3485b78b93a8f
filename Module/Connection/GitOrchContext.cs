namespace GitOrch.Module.Connection;

/// <summary>
/// Where the module sends requests: the output of Get-GitOrchContext and Connect-GitOrch. The token itself is
/// never shown; <see cref="TokenSource"/> says where it comes from.
/// </summary>
public sealed class GitOrchContext
{
    internal GitOrchContext(string server, string? token, string? tokenFile, string ns, string origin, string tokenSource, string configPath, ContextCa ca)
    {
        CertificateAuthority = ca.File ?? (ca.Pem != null ? ca.Source : null);
        CaPem = ca.Pem;
        CaFile = ca.File;
        Server = server;
        Token = token;
        TokenFile = tokenFile;
        Namespace = ns;
        Origin = origin;
        TokenSource = tokenSource;
        ConfigPath = configPath;
    }

    /// <summary>The Engine's address, e.g. https://127.0.0.1:6443.</summary>
    public string Server { get; }

    /// <summary>Namespace used when a cmdlet gets no -Namespace.</summary>
    public string Namespace { get; }

    /// <summary>Environment (GITORCH_SERVER/GITORCH_TOKEN), Config (Connect-GitOrch) or Default (local engine).</summary>
    public string Origin { get; }

    /// <summary>e.g. "GITORCH_TOKEN", "config", or the token file's path.</summary>
    public string TokenSource { get; }

    /// <summary>The config file Connect-GitOrch writes.</summary>
    public string ConfigPath { get; }

    public string? TokenFile { get; }

    internal string? Token { get; }

    /// <summary>Where the CA that verifies the Engine's certificate comes from: a PEM file, or "kubeconfig FILE (context NAME)".</summary>
    public string? CertificateAuthority { get; }

    internal string? CaPem { get; }

    internal string? CaFile { get; }

    public override string ToString() => Server;
}
