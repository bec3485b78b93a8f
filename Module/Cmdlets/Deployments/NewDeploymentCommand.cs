using System.Collections;
using System.Management.Automation;
using System.Threading.Tasks;
using GitOrch.Module.Git;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Deployments;

/// <summary>
/// New-Deployment: with a GitSource configured, proposes the Deployment through Git (a commit with its manifest
/// on a new branch; outputs the branch and commit to open a pull request from). -Direct, or no GitSource, creates
/// it through the API and outputs the Deployment.
/// </summary>
[Cmdlet(VerbsCommon.New, "Deployment", SupportsShouldProcess = true, HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(GitChangeInfo), typeof(DeploymentInfo))]
public sealed class NewDeploymentCommand : GitOrchCmdlet
{
    /// <summary>Name of the Deployment; also its container's name and the value of its app label (the selector).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>Container image, e.g. gitorch-test/busybox:latest or 127.0.0.1:5000/web:2.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Image { get; set; } = "";

    /// <summary>Number of Pods to run (default 1).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, 10000)]
    public int Replicas { get; set; } = 1;

    /// <summary>When the node pulls the image: Always (Kubernetes' default for :latest), IfNotPresent (use a local image such as the test image), Never.</summary>
    [Parameter]
    [ValidateSet("Always", "IfNotPresent", "Never")]
    public string? ImagePullPolicy { get; set; }

    /// <summary>Extra labels on the Deployment and its Pods, e.g. @{ tier = 'web' } (app=&lt;name&gt; is always set).</summary>
    [Parameter]
    public Hashtable? Label { get; set; }

    /// <summary>Container ports.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int[]? Port { get; set; }

    /// <summary>The container's command (entrypoint and arguments), e.g. 'sleep', '3600'. Default: the image's.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Command { get; set; }

    /// <summary>Environment variables, e.g. @{ LOG_LEVEL = 'debug' }.</summary>
    [Parameter]
    public Hashtable? Env { get; set; }

    /// <summary>Namespace of the Deployment. Default: the context's namespace.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(GitOrchCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Create through the API even when a GitSource is configured.</summary>
    [Parameter]
    public SwitchParameter Direct { get; set; }

    /// <summary>The GitSource to propose through (needed when several could take it).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(GitOrchCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Source { get; set; }

    /// <summary>Namespace of -Source. Default: the Deployment's namespace.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SourceNamespace { get; set; }

    /// <summary>Branch for the proposal. Default: gitorch/new-deployment-&lt;name&gt;-&lt;time&gt;.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Branch { get; set; }

    /// <summary>Commit message. Default: "Add deployment &lt;name&gt; (&lt;image&gt;)".</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Message { get; set; }

    protected override async Task ProcessRecordAsync()
    {
        var ns = NamespaceOrDefault(Namespace);
        ErrorTarget = Name;
        var deployment = DeploymentBuilder.Build(Name, ns, Image, Replicas, Port, Env, Command, ImagePullPolicy, Label);
        var source = Direct ? null : await SourceLocator.ForNewObjectAsync(Client, ns, Source, SourceNamespace, CancellationToken);
        if (source != null)
        {
            var file = SourceLocator.NewFilePath(source, deployment);
            if (!ShouldProcess($"Deployment {ns}/{Name}", $"Propose through Git (GitSource {source.Namespace}/{source.Name}, file {file}, new branch)"))
            {
                return;
            }

            WriteVerbose($"Through Git: GitSource {source.Namespace}/{source.Name}, file {file}, on a new branch.");
            var message = Message ?? $"Add deployment {Name} ({Image})";
            WriteObject(await GitProposal.ProposeAsync(Client, source, deployment, "new-deployment", message, Branch, CancellationToken));
            return;
        }

        if (!ShouldProcess($"Deployment {ns}/{Name}", "Create"))
        {
            return;
        }

        WriteVerbose(Direct ? "Through the API (-Direct)." : "Through the API: no GitSource takes this namespace.");
        WriteObject(new DeploymentInfo(await Client.CreateAsync(deployment, CancellationToken)));
    }
}
