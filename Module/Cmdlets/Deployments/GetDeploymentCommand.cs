using System.Management.Automation;
using GitOrch.Api.Model;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Deployments;

/// <summary>Get-Deployment: Deployments by name (wildcards), namespace and label selector.</summary>
[Cmdlet(VerbsCommon.Get, "Deployment", HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(DeploymentInfo))]
public sealed class GetDeploymentCommand : GetNamespacedCmdlet<Deployment, DeploymentInfo>
{
    protected override DeploymentInfo Wrap(Deployment obj) => new(obj);
}
