using System.Management.Automation;
using System.Threading.Tasks;
using GitOrch.Api.Model;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Sources;

/// <summary>What Suspend- and Resume-GitOrchSource share: one merge patch of spec.suspend.</summary>
public abstract class SourceSuspensionCmdlet : NamedObjectsCmdlet<GitSource>
{
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>The value written to spec.suspend.</summary>
    protected abstract bool Suspend { get; }

    protected override async Task ProcessObjectAsync(GitSource obj)
    {
        if (!ShouldProcess(Describe(obj), Suspend ? "Suspend" : "Resume"))
        {
            return;
        }

        var patch = Suspend ? "{\"spec\":{\"suspend\":true}}" : "{\"spec\":{\"suspend\":false}}";
        var updated = await Client.PatchAsync<GitSource>(obj.Namespace, obj.Name, patch, CancellationToken);
        if (PassThru)
        {
            WriteObject(new GitSourceInfo(updated));
        }
    }
}
