using System.Management.Automation;
using System.Threading.Tasks;
using GitOrch.Api.Model;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Sources;

/// <summary>
/// Compare-GitOrchSource: the plan of a ref (branch, tag, commit or refs/pull/N/head) against what the source runs
/// now: one object per change (Create, Update with a field diff, Delete). Changes nothing.
/// </summary>
[Cmdlet(VerbsData.Compare, "GitOrchSource", HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(PlanChangeInfo))]
public sealed class CompareGitOrchSourceCommand : GitOrchCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(GitOrchCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(GitOrchCompleter))]
    public string? Namespace { get; set; }

    /// <summary>What to plan: a branch, tag, commit or refs/pull/N/head. Default: the source's tracked ref.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Ref { get; set; }

    protected override async Task ProcessRecordAsync()
    {
        var ns = NamespaceOrDefault(Namespace);
        ErrorTarget = Name;
        var plan = await ForObjectAsync(ResourceKinds.GitSource, Name, ns, () => Client.PlanSourceAsync(ns, Name, Ref, CancellationToken));
        if (plan == null)
        {
            return;
        }

        foreach (var warning in plan.Warnings ?? new System.Collections.Generic.List<string>())
        {
            WriteWarning(warning);
        }

        foreach (var error in plan.Errors ?? new System.Collections.Generic.List<string>())
        {
            WriteError(GitOrchErrors.Create("PlanInvalid", ErrorCategory.InvalidData, Name, error));
        }

        WriteVerbose($"{Ref ?? "tracked ref"} at {plan.Commit}: {plan.Summary ?? plan.Changes.Count + " changes"}");
        foreach (var change in plan.Changes)
        {
            WriteObject(new PlanChangeInfo(ns + "/" + Name, plan, change));
        }
    }
}
