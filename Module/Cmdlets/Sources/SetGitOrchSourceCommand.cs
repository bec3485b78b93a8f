using System;
using System.Linq;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Text;
using System.Threading.Tasks;
using GitOrch.Api.Client;
using GitOrch.Api.Model;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Sources;

/// <summary>
/// Set-GitOrchSource: creates a GitSource or changes the given settings of an existing one. -Credential and
/// -WebhookSecret are stored in Secrets ("&lt;name&gt;-git-auth", "&lt;name&gt;-webhook") that the source refers to.
/// </summary>
[Cmdlet(VerbsCommon.Set, "GitOrchSource", SupportsShouldProcess = true, HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(GitSourceInfo))]
public sealed class SetGitOrchSourceCommand : GitOrchCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(GitOrchCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(GitOrchCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Repository URL: https://, http://, git:// or file://. Required when the source is new.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Url { get; set; }

    /// <summary>Branch to track, e.g. main (the default when neither -Branch nor -Tag is given).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Branch { get; set; }

    /// <summary>Tag to track instead of a branch, e.g. v1.2.0.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Tag { get; set; }

    /// <summary>Folder of the manifests inside the repository.</summary>
    [Parameter]
    public string? Path { get; set; }

    /// <summary>How often to poll. Default on the server: 1 minute.</summary>
    [Parameter]
    public TimeSpan? Interval { get; set; }

    /// <summary>Git credentials; for a token, put the token in the password (user name may be empty or "token").</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>Delete objects that leave Git (default true). -Prune:$false keeps them.</summary>
    [Parameter]
    public SwitchParameter Prune { get; set; }

    /// <summary>Deploy every pull request into its own preview namespace.</summary>
    [Parameter]
    public SwitchParameter EnablePreviews { get; set; }

    /// <summary>Secret that webhook calls are signed with (GitHub/GitLab/generic HMAC).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WebhookSecret { get; set; }

    /// <summary>Sources that must be Ready before this one applies: "name" (same namespace) or "namespace/name". An empty list removes them.</summary>
    [Parameter]
    [AllowEmptyCollection]
    public string[]? DependsOn { get; set; }

    /// <summary>Ready only once every object the commit applied is healthy (Deployments rolled out, Jobs complete, ...); -HealthTimeout bounds the wait.</summary>
    [Parameter]
    public SwitchParameter WaitForHealth { get; set; }

    /// <summary>How long applied objects may take to become healthy before the source is Ready=False HealthCheckFailed (spec.timeout, also the fetch timeout).</summary>
    [Parameter]
    public TimeSpan? HealthTimeout { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessRecordAsync()
    {
        if (Branch != null && Tag != null)
        {
            throw Terminate(GitOrchErrors.Create(GitOrchErrors.InvalidArgument, ErrorCategory.InvalidArgument, Name, "Give either -Branch or -Tag, not both."));
        }

        var ns = NamespaceOrDefault(Namespace);
        ErrorTarget = Name;
        var existing = await Client.TryGetAsync<GitSource>(ns, Name, CancellationToken);
        if (existing == null && Url == null)
        {
            throw Terminate(GitOrchErrors.Create(GitOrchErrors.InvalidArgument, ErrorCategory.InvalidArgument, Name, $"GitSource {ns}/{Name} does not exist yet: -Url is required to create it."));
        }

        var source = existing ?? new GitSource { Metadata = new ObjectMeta { Name = Name, Namespace = ns }, Spec = new GitSourceSpec() };
        Apply(source, existing == null);

        var secrets = new List<Secret>();
        var spec = source.Spec!;
        if (Credential != null)
        {
            var user = Credential.UserName?.TrimStart('\\') ?? "";
            var password = Credential.GetNetworkCredential().Password;
            var data = user.Length == 0 || user.Equals("token", StringComparison.OrdinalIgnoreCase)
                ? new Dictionary<string, string> { ["token"] = password }
                : new Dictionary<string, string> { ["username"] = user, ["password"] = password };
            secrets.Add(NewSecret(Name + "-git-auth", ns, data));
            spec.SecretRef = new LocalObjectReference { Name = Name + "-git-auth" };
        }

        if (WebhookSecret != null)
        {
            secrets.Add(NewSecret(Name + "-webhook", ns, new Dictionary<string, string> { ["token"] = WebhookSecret }));
            spec.Webhook = new GitSourceWebhook { SecretRef = new LocalObjectReference { Name = Name + "-webhook" } };
        }

        if (!ShouldProcess($"GitSource {ns}/{Name}", existing == null ? "Create" : "Update"))
        {
            return;
        }

        foreach (var secret in secrets)
        {
            await UpsertSecretAsync(secret);
        }

        GitSource saved;
        if (existing == null)
        {
            saved = await Client.CreateAsync(source, CancellationToken);
        }
        else
        {
            // The source controller writes the object too (status, finalizers): re-apply on a fresh copy when it did.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    saved = await Client.ReplaceAsync(source, CancellationToken);
                    break;
                }
                catch (GitOrchApiException e) when (e.IsConflict && attempt < 5)
                {
                    source = await Client.GetAsync<GitSource>(ns, Name, CancellationToken);
                    Apply(source, isNew: false);
                    if (Credential != null)
                    {
                        source.Spec!.SecretRef = spec.SecretRef;
                    }

                    if (WebhookSecret != null)
                    {
                        source.Spec!.Webhook = spec.Webhook;
                    }
                }
            }
        }

        if (PassThru)
        {
            WriteObject(new GitSourceInfo(saved));
        }
    }

    /// <summary>Writes the given settings into <paramref name="source"/>; settings not given stay as they are.</summary>
    private void Apply(GitSource source, bool isNew)
    {
        var spec = source.Spec ??= new GitSourceSpec();
        if (Url != null)
        {
            spec.Url = Url;
        }

        if (Branch != null)
        {
            spec.Ref = new GitSourceRef { Branch = Branch };
        }
        else if (Tag != null)
        {
            spec.Ref = new GitSourceRef { Tag = Tag };
        }
        else if (isNew)
        {
            spec.Ref = new GitSourceRef { Branch = "main" };
        }

        if (Path != null)
        {
            spec.Path = Path;
        }

        if (Interval != null)
        {
            spec.Interval = GoDuration(Interval.Value);
        }

        if (MyInvocation.BoundParameters.ContainsKey(nameof(Prune)))
        {
            spec.Prune = Prune.IsPresent;
        }

        if (MyInvocation.BoundParameters.ContainsKey(nameof(EnablePreviews)))
        {
            spec.Previews ??= new GitSourcePreviews();
            spec.Previews.Enabled = EnablePreviews.IsPresent;
        }

        if (DependsOn != null)
        {
            spec.DependsOn = DependsOn.Length == 0 ? null : DependsOn.Select(ToDependency).ToList();
        }

        if (MyInvocation.BoundParameters.ContainsKey(nameof(WaitForHealth)))
        {
            spec.Wait = WaitForHealth.IsPresent ? true : null;
        }

        if (HealthTimeout != null)
        {
            spec.Timeout = GoDuration(HealthTimeout.Value);
        }
    }

    private static GitSourceDependency ToDependency(string text)
    {
        var slash = text.IndexOf('/');
        return slash < 0 ? new GitSourceDependency { Name = text } : new GitSourceDependency { Namespace = text.Substring(0, slash), Name = text.Substring(slash + 1) };
    }

    private async Task UpsertSecretAsync(Secret secret)
    {
        try
        {
            await Client.CreateAsync(secret, CancellationToken);
        }
        catch (GitOrchApiException e) when (e.IsAlreadyExists)
        {
            var live = await Client.GetAsync<Secret>(secret.Namespace, secret.Name, CancellationToken);
            live.Data = secret.Data;
            live.StringData = null;
            await Client.ReplaceAsync(live, CancellationToken);
        }
    }

    private static Secret NewSecret(string name, string ns, Dictionary<string, string> values)
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var kv in values)
        {
            data[kv.Key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(kv.Value));
        }

        return new Secret
        {
            Metadata = new ObjectMeta { Name = name, Namespace = ns, Labels = new Dictionary<string, string> { ["gitorch.io/secret-for"] = "gitsource" } },
            Type = "Opaque",
            Data = data,
        };
    }

    /// <summary>90 seconds -> "1m30s", the Go duration the spec holds.</summary>
    internal static string GoDuration(TimeSpan t)
    {
        var sb = new StringBuilder();
        if ((int)t.TotalHours > 0)
        {
            sb.Append(((int)t.TotalHours).ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (t.Minutes > 0)
        {
            sb.Append(t.Minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        if (t.Seconds > 0 || sb.Length == 0)
        {
            sb.Append(t.Seconds.ToString(CultureInfo.InvariantCulture)).Append('s');
        }

        return sb.ToString();
    }
}
