using System;
using System.Runtime.InteropServices;
using System.Security;
using System.IO;
using System.Management.Automation;
using System.Threading.Tasks;
using GitOrch.Api.Client;
using GitOrch.Api.Model;
using GitOrch.Module.Connection;
using GitOrch.Module.Infrastructure;

namespace GitOrch.Module.Cmdlets.Connection;

/// <summary>Connect-GitOrch: checks the server, its CA and the token answer (given directly or read from a kubeconfig), then saves them as the user's context.</summary>
[Cmdlet(VerbsCommunications.Connect, "GitOrch", SupportsShouldProcess = true, DefaultParameterSetName = TokenSet, HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(GitOrchContext))]
public sealed class ConnectGitOrchCommand : GitOrchCmdlet
{
    private const string TokenSet = "Token";
    private const string TokenFileSet = "TokenFile";
    private const string KubeconfigSet = "Kubeconfig";

    /// <summary>The Engine's address, e.g. https://127.0.0.1:6443. With -Kubeconfig: overrides the context's server.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Server { get; set; } = ContextResolver.DefaultServer;

    /// <summary>The bearer token, as a SecureString (Read-Host -AsSecureString, Get-Secret); a plain string is accepted and converted. It is saved in the user's config file.</summary>
    [Parameter(ParameterSetName = TokenSet)]
    [SecureStringTransformation]
    [ValidateNotNull]
    public SecureString? Token { get; set; }

    /// <summary>A file holding the token (read at every use, so a rotated token is picked up).</summary>
    [Parameter(ParameterSetName = TokenFileSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string? TokenFile { get; set; }

    /// <summary>A kubeconfig file (the engine writes &lt;data-dir&gt;/kubeconfig.yaml): server, CA and token come from its context.</summary>
    [Parameter(ParameterSetName = KubeconfigSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string? Kubeconfig { get; set; }

    /// <summary>The kubeconfig context to use (-Context). Default: the file's current-context.</summary>
    [Parameter(ParameterSetName = KubeconfigSet)]
    [Alias("Context")]
    [ValidateNotNullOrEmpty]
    public string? KubeconfigContext { get; set; }

    /// <summary>A PEM file with the Engine's CA (&lt;data-dir&gt;/ca.crt) that its HTTPS certificate must chain to. Default: the kubeconfig's CA, else ~/.gitorch/ca.crt.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CertificateAuthority { get; set; }

    /// <summary>Namespace for cmdlets run without -Namespace. Default: default.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Namespace { get; set; }

    /// <summary>Save even when the server does not answer now.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override async Task ProcessRecordAsync()
    {
        var saved = new SavedContext { Server = Server.TrimEnd('/'), Namespace = Namespace };
        string token;
        if (Kubeconfig != null)
        {
            token = FromKubeconfig(saved);
        }
        else if (TokenFile != null)
        {
            saved.TokenFile = GetUnresolvedProviderPathFromPSPath(TokenFile);
            if (!File.Exists(saved.TokenFile))
            {
                throw Terminate(new ErrorRecord(new FileNotFoundException($"Token file {saved.TokenFile} does not exist."), "TokenFileNotFound", ErrorCategory.ObjectNotFound, saved.TokenFile));
            }

            token = File.ReadAllText(saved.TokenFile).Trim();
        }
        else if (Token != null)
        {
            token = Plain(Token);
            saved.Token = token;
        }
        else
        {
            saved.TokenFile = ContextResolver.DefaultTokenFile;
            token = File.Exists(saved.TokenFile) ? File.ReadAllText(saved.TokenFile).Trim() : "";
        }

        if (!Uri.TryCreate(saved.Server, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            throw Terminate(GitOrchErrors.Create(GitOrchErrors.InvalidArgument, ErrorCategory.InvalidArgument, saved.Server, $"-Server expects an https URL such as https://127.0.0.1:6443 (got \"{saved.Server}\")."));
        }

        if (CertificateAuthority != null)
        {
            saved.CertificateAuthority = GetUnresolvedProviderPathFromPSPath(CertificateAuthority);
            saved.CertificateAuthorityData = null;
            if (!File.Exists(saved.CertificateAuthority))
            {
                throw Terminate(new ErrorRecord(new FileNotFoundException($"CA certificate file {saved.CertificateAuthority} does not exist."), "CertificateAuthorityNotFound", ErrorCategory.ObjectNotFound, saved.CertificateAuthority));
            }
        }

        ErrorTarget = saved.Server;
        if (!Force)
        {
            await ProbeAsync(uri, token, saved);
        }

        if (!ShouldProcess(ContextFile.Path, $"Save GitOrch connection to {saved.Server}"))
        {
            return;
        }

        ContextFile.Save(saved);
        var context = ContextResolver.Resolve();
        if (context.Origin == "Environment")
        {
            WriteWarning($"GITORCH_SERVER is set ({context.Server}); it overrides the saved connection until it is removed.");
        }

        // The context it made, so `$ctx = Connect-GitOrch ...` and the console both show where requests go now.
        WriteObject(context);
    }

    /// <summary>Proves server, CA and token work before saving them: an authenticated list is the cheapest call that checks the token.</summary>
    private async Task ProbeAsync(Uri uri, string token, SavedContext saved)
    {
        Api.Client.Tls.EngineCa? ca = null;
        if (uri.Scheme == "https")
        {
            try
            {
                ca = saved.CertificateAuthorityData != null ? Api.Client.Tls.EngineCa.FromPem(saved.CertificateAuthorityData, "kubeconfig " + saved.Kubeconfig)
                    : Api.Client.Tls.EngineCa.FromPemFile(saved.CertificateAuthority ?? ContextResolver.DefaultCaFileOrEnvironment);
            }
            catch (Exception e) when (e is IOException)
            {
                throw Terminate(new ErrorRecord(e, "CertificateAuthorityInvalid", ErrorCategory.InvalidData, saved.CertificateAuthority ?? ContextResolver.DefaultCaFileOrEnvironment));
            }
        }

        {
            using var probe = new GitOrchClient(uri, token, ClientCache.Transport(ca)) { RequestTimeout = TimeSpan.FromSeconds(10) };
            try
            {
                await probe.ListAsync<Namespace>(null, new ListOptions { Limit = 1 }, CancellationToken);
            }
            catch (Exception e) when (e is GitOrchApiException or System.Net.Http.HttpRequestException)
            {
                throw Terminate(GitOrchErrors.FromException(e, saved.Server, saved.Server));
            }
        }
    }

    /// <summary>Fills <paramref name="saved"/> from the kubeconfig's context; returns the token to probe with.</summary>
    private string FromKubeconfig(SavedContext saved)
    {
        var path = GetUnresolvedProviderPathFromPSPath(Kubeconfig);
        if (!File.Exists(path))
        {
            throw Terminate(new ErrorRecord(new FileNotFoundException($"Kubeconfig file {path} does not exist."), "KubeconfigNotFound", ErrorCategory.ObjectNotFound, path));
        }

        KubeconfigConnection connection;
        try
        {
            connection = GitOrch.Module.Connection.Kubeconfig.Read(path, KubeconfigContext);
        }
        catch (InvalidDataException e)
        {
            throw Terminate(new ErrorRecord(e, "KubeconfigInvalid", ErrorCategory.InvalidData, path));
        }

        if (!MyInvocation.BoundParameters.ContainsKey(nameof(Server)))
        {
            saved.Server = connection.Server;
        }

        saved.Kubeconfig = path;
        saved.KubeconfigContext = connection.Context;
        saved.Namespace ??= connection.Namespace;
        saved.CertificateAuthorityData = connection.CaPem;
        saved.CertificateAuthority = connection.CaFile;
        saved.Token = connection.Token;
        saved.TokenFile = connection.Token == null ? connection.TokenFile : null;
        return connection.Token ?? (File.Exists(connection.TokenFile) ? File.ReadAllText(connection.TokenFile).Trim() : "");
    }

    private static string Plain(SecureString secure)
    {
        var ptr = Marshal.SecureStringToGlobalAllocUnicode(secure);
        try
        {
            return Marshal.PtrToStringUni(ptr) ?? "";
        }
        finally
        {
            Marshal.ZeroFreeGlobalAllocUnicode(ptr);
        }
    }
}
