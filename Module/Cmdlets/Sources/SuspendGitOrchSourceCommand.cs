using System.Management.Automation;
using System.Threading.Tasks;
using GitOrch.Api.Model;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Sources;

/// <summary>Suspend-GitOrchSource: pauses fetching and applying (spec.suspend); what runs stays as it is.</summary>
[Cmdlet(VerbsLifecycle.Suspend, "GitOrchSource", SupportsShouldProcess = true)]
[OutputType(typeof(GitSourceInfo))]
public sealed class SuspendGitOrchSourceCommand : NamedObjectsCmdlet<GitSource>
{
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessObjectAsync(GitSource obj)
    {
        if (!ShouldProcess(Describe(obj), "Suspend"))
        {
            return;
        }

        var updated = await Client.PatchAsync<GitSource>(obj.Namespace, obj.Name, "{\"spec\":{\"suspend\":true}}", CancellationToken);
        if (PassThru)
        {
            WriteObject(new GitSourceInfo(updated));
        }
    }
}
