using System.Management.Automation;
using System.Threading.Tasks;
using GitOrch.Api.Model;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Sources;

/// <summary>Resume-GitOrchSource: fetching and applying start again (spec.suspend=false) with a reconcile at once.</summary>
[Cmdlet(VerbsLifecycle.Resume, "GitOrchSource", SupportsShouldProcess = true)]
[OutputType(typeof(GitSourceInfo))]
public sealed class ResumeGitOrchSourceCommand : NamedObjectsCmdlet<GitSource>
{
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessObjectAsync(GitSource obj)
    {
        if (!ShouldProcess(Describe(obj), "Resume"))
        {
            return;
        }

        var updated = await Client.PatchAsync<GitSource>(obj.Namespace, obj.Name, "{\"spec\":{\"suspend\":false}}", CancellationToken);
        if (PassThru)
        {
            WriteObject(new GitSourceInfo(updated));
        }
    }
}
