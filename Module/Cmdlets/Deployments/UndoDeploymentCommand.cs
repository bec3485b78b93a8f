using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Threading.Tasks;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;
using GitOrch.Module.Git;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Deployments;

/// <summary>
/// Undo-Deployment: rolls a Deployment back. Managed by a GitSource: through Git, so auto-sync agrees with the
/// rollback instead of undoing it — the commit that last changed it is reverted (the source's <c>revert</c>
/// subresource), or with -ToRevision that revision's Pod template is committed. -Direct, or unmanaged: the
/// Deployment controller rolls back (annotation gitorch.io/rollback-to).
/// </summary>
[Cmdlet(VerbsCommon.Undo, "Deployment", SupportsShouldProcess = true, HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(GitChangeInfo), typeof(DeploymentInfo))]
public sealed class UndoDeploymentCommand : NamedObjectsCmdlet<Deployment>
{
    /// <summary>The revision to go back to (see Get-DeploymentRevision). Default: the previous one.</summary>
    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long? ToRevision { get; set; }

    /// <summary>Roll back through the API even when a GitSource manages the Deployment (the source reverts it at its next reconcile).</summary>
    [Parameter]
    public SwitchParameter Direct { get; set; }

    /// <summary>Branch for the Git change. Default: a revert goes on the tracked branch; a -ToRevision commit on a new branch.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Branch { get; set; }

    /// <summary>Commit message of the revert. Default: one naming the revision.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Message { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessObjectAsync(Deployment obj)
    {
        var target = $"Deployment {obj.Namespace}/{obj.Name}";
        var source = Direct ? null : await SourceLocator.ForManagedObjectAsync(Client, obj, CancellationToken);
        var revisions = await DeploymentRevisions.ListAsync(Client, obj, CancellationToken);
        if (ToRevision != null && revisions.All(r => r.Revision != ToRevision))
        {
            WriteError(GitOrchErrors.Create(GitOrchErrors.RevisionNotFound, ErrorCategory.ObjectNotFound, obj.Name,
                $"{target} has no revision {ToRevision} (it has: {string.Join(", ", revisions.Select(r => r.Revision))})."));
            return;
        }

        if (source != null)
        {
            if (ToRevision != null)
            {
                var changed = KubeJson.Clone(obj);
                changed.Spec!.Template = DeploymentRevisions.TemplateOf(revisions.First(r => r.Revision == ToRevision).ReplicaSet);
                if (ShouldProcess(target, $"Propose rollback to revision {ToRevision} through Git (GitSource {source.Namespace}/{source.Name})"))
                {
                    WriteVerbose($"Through Git: GitSource {source.Namespace}/{source.Name} manages {target}; revision {ToRevision}'s Pod template is committed on " + (Branch == null ? "a new branch." : $"branch {Branch}."));
                    WriteObject(await GitProposal.ProposeAsync(Client, source, changed, "undo-deployment", Message ?? $"Roll back deployment {obj.Name} to revision {ToRevision}", Branch, CancellationToken));
                }

                return;
            }

            var commit = obj.Metadata.Annotation(SourceAnnotations.Commit);
            if (string.IsNullOrEmpty(commit))
            {
                WriteError(GitOrchErrors.Create(GitOrchErrors.NotManagedByGit, ErrorCategory.InvalidOperation, obj.Name,
                    $"{target} carries no {SourceAnnotations.Commit} annotation, so there is no commit to revert. Use -ToRevision or -Direct."));
                return;
            }

            if (ShouldProcess(target, $"Revert commit {commit} in GitSource {source.Namespace}/{source.Name}"))
            {
                WriteVerbose($"Through Git: GitSource {source.Namespace}/{source.Name} manages {target}; commit {commit} is reverted " + (Branch == null ? "on the tracked branch." : $"on branch {Branch}."));
                WriteObject(await GitProposal.RevertAsync(Client, source, obj, commit!, Message ?? $"Revert {Short(commit!)}: roll back deployment {obj.Name}", Branch, CancellationToken));
            }

            return;
        }

        if (ToRevision == null && revisions.Count < 2)
        {
            WriteError(GitOrchErrors.Create(GitOrchErrors.RevisionNotFound, ErrorCategory.ObjectNotFound, obj.Name, $"{target} has no previous revision to roll back to."));
            return;
        }

        var revisionText = (ToRevision ?? 0).ToString(CultureInfo.InvariantCulture);
        if (!ShouldProcess(target, ToRevision == null ? "Roll back to the previous revision" : "Roll back to revision " + ToRevision))
        {
            return;
        }

        WriteVerbose(Direct ? "Through the API (-Direct): the Deployment controller rolls back." : "Through the API: no GitSource manages this Deployment; the Deployment controller rolls back.");

        var patch = "{\"metadata\":{\"annotations\":{" + JsonSerializer.Serialize(SourceAnnotations.RollbackTo) + ":" + JsonSerializer.Serialize(revisionText) + "}}}";
        var saved = await Client.PatchAsync<Deployment>(obj.Namespace, obj.Name, patch, CancellationToken);
        if (PassThru)
        {
            WriteObject(new DeploymentInfo(saved));
        }
    }

    private static string Short(string commit) => commit.Length > 7 ? commit.Substring(0, 7) : commit;
}
