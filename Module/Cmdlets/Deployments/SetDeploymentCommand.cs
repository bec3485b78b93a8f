using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using GitOrch.Api.Client;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;
using GitOrch.Module.Git;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Deployments;

/// <summary>
/// Set-Deployment: changes the image and/or replica count. A Deployment that a GitSource manages is changed
/// through Git (a commit on a new branch that rewrites its file; outputs branch and commit); -Direct, or an
/// unmanaged Deployment, changes it through the API.
/// </summary>
[Cmdlet(VerbsCommon.Set, "Deployment", SupportsShouldProcess = true, HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(GitChangeInfo), typeof(DeploymentInfo))]
public sealed class SetDeploymentCommand : NamedObjectsCmdlet<Deployment>
{
    /// <summary>New image of the container, e.g. nginx:1.28.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Image { get; set; }

    /// <summary>The container whose image -Image sets; needed when the Pod has several.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Container { get; set; }

    /// <summary>New number of Pods.</summary>
    [Parameter]
    [ValidateRange(0, 10000)]
    public int? Replicas { get; set; }

    /// <summary>Change through the API even when a GitSource manages the Deployment (the source reverts it at its next reconcile unless reconcile is disabled for it).</summary>
    [Parameter]
    public SwitchParameter Direct { get; set; }

    /// <summary>Branch for the Git change. Default: gitorch/set-deployment-&lt;name&gt;-&lt;time&gt;.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Branch { get; set; }

    /// <summary>Commit message of the Git change. Default: one naming the change.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Message { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override Task BeginProcessingAsync()
    {
        if (Image == null && Replicas == null)
        {
            throw Terminate(GitOrchErrors.Create(GitOrchErrors.InvalidArgument, ErrorCategory.InvalidArgument, null, "Nothing to change: give -Image and/or -Replicas."));
        }

        return Task.CompletedTask;
    }

    protected override async Task ProcessObjectAsync(Deployment obj)
    {
        var what = Describe();
        var source = Direct ? null : await SourceLocator.ForManagedObjectAsync(Client, obj, CancellationToken);
        if (source != null)
        {
            var changed = KubeJson.Clone(obj);
            if (!Apply(changed) || !ShouldProcess($"Deployment {obj.Namespace}/{obj.Name}", $"Propose {what} through Git (GitSource {source.Namespace}/{source.Name})"))
            {
                return;
            }

            WriteVerbose($"Through Git: GitSource {source.Namespace}/{source.Name} manages Deployment {obj.Namespace}/{obj.Name}; its file {obj.Metadata.Annotation(SourceAnnotations.File) ?? "(not annotated)"} is rewritten on " + (Branch == null ? "a new branch." : $"branch {Branch}."));
            WriteObject(await GitProposal.ProposeAsync(Client, source, changed, "set-deployment", Message ?? $"Set {what} of deployment {obj.Name}", Branch, CancellationToken));
            return;
        }

        if (!ShouldProcess($"Deployment {obj.Namespace}/{obj.Name}", "Set " + what))
        {
            return;
        }

        WriteVerbose(Direct ? "Through the API (-Direct)." : "Through the API: no GitSource manages this Deployment.");

        if (obj.Metadata.Label(SourceAnnotations.Source) is { } managedBy)
        {
            WriteWarning($"Deployment {obj.Namespace}/{obj.Name} is managed by GitSource {managedBy}: this direct change is reverted at its next reconcile unless it also lands in Git.");
        }

        // Optimistic concurrency: re-read and re-apply when someone else wrote in between.
        for (var attempt = 1; ; attempt++)
        {
            var live = attempt == 1 ? obj : await Client.GetAsync<Deployment>(obj.Namespace, obj.Name, CancellationToken);
            if (!Apply(live))
            {
                return;
            }

            try
            {
                var saved = await Client.ReplaceAsync(live, CancellationToken);
                if (PassThru)
                {
                    WriteObject(new DeploymentInfo(saved));
                }

                return;
            }
            catch (GitOrchApiException e) when (e.IsConflict && attempt < 5)
            {
                WriteVerbose($"Deployment {obj.Name} changed meanwhile; retrying ({attempt}).");
            }
        }
    }

    private string Describe()
    {
        var parts = new List<string>();
        if (Image != null)
        {
            parts.Add("image " + Image);
        }

        if (Replicas != null)
        {
            parts.Add("replicas " + Replicas);
        }

        return string.Join(", ", parts);
    }

    /// <summary>Applies the changes; false (with an error written) when the container to change is ambiguous or missing.</summary>
    private bool Apply(Deployment d)
    {
        var spec = d.Spec ??= new DeploymentSpec();
        if (Replicas != null)
        {
            spec.Replicas = Replicas;
        }

        if (Image != null)
        {
            var containers = spec.Template.Spec?.Containers ?? new List<Container>();
            var target = Container != null ? containers.FirstOrDefault(c => c.Name == Container)
                : containers.Count == 1 ? containers[0]
                : containers.FirstOrDefault(c => c.Name == d.Name);
            if (target == null)
            {
                WriteError(GitOrchErrors.Create(Container != null ? "ContainerNotFound" : "ContainerAmbiguous", Container != null ? ErrorCategory.ObjectNotFound : ErrorCategory.InvalidArgument, d.Name,
                    Container != null
                        ? $"Deployment {d.Namespace}/{d.Name} has no container \"{Container}\" (it has: {string.Join(", ", containers.Select(c => c.Name))})."
                        : $"Deployment {d.Namespace}/{d.Name} has several containers ({string.Join(", ", containers.Select(c => c.Name))}): name one with -Container."));
                return false;
            }

            target.Image = Image;
        }

        return true;
    }
}
