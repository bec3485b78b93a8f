using System.Collections.Generic;
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

/// <summary>Connect-GitOrch: checks the server and token answer, then saves them as the user's context.</summary>
[Cmdlet(VerbsCommunications.Connect, "GitOrch", SupportsShouldProcess = true, DefaultParameterSetName = TokenSet, HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(GitOrchContext))]
public sealed class ConnectGitOrchCommand : GitOrchCmdlet
{
    private const string TokenSet = "Token";
    private const string TokenFileSet = "TokenFile";

    /// <summary>The Engine's address, e.g. http://127.0.0.1:6443.</summary>
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

    /// <summary>Namespace for cmdlets run without -Namespace. Default: default.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Namespace { get; set; }

    /// <summary>Save even when the server does not answer now.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override async Task ProcessRecordAsync()
    {
        // Several Engines of one cluster: "https://a:6443,https://b:6443"; the client moves on when one is unreachable.
        IReadOnlyList<Uri> servers;
        try
        {
            servers = Api.Client.Failover.ServerList.Parse(Server ?? "");
        }
        catch (FormatException)
        {
            throw Terminate(GitOrchErrors.Create(GitOrchErrors.InvalidArgument, ErrorCategory.InvalidArgument, Server, $"-Server expects an http(s) URL such as http://127.0.0.1:6443 (got \"{Server}\")."));
        }

        var saved = new SavedContext { Server = Server!.TrimEnd('/'), Namespace = Namespace };
        string token;
        if (TokenFile != null)
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

        ErrorTarget = Server;
        if (!Force)
        {
            // Prove the pair works before saving it: an authenticated list is the cheapest call that checks the token.
            using var probe = GitOrchClient.ForServers(servers, token);
            probe.RequestTimeout = TimeSpan.FromSeconds(10);
            try
            {
                await probe.ListAsync<Namespace>(null, new ListOptions { Limit = 1 }, CancellationToken);
            }
            catch (Exception e) when (e is GitOrchApiException or System.Net.Http.HttpRequestException)
            {
                throw Terminate(GitOrchErrors.FromException(e, Server, Server));
            }
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
