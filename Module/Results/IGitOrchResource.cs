using GitOrch.Api.Model;

namespace GitOrch.Module.Results;

/// <summary>
/// Every GitOrch result object, whatever its kind: what a cmdlet that takes "any GitOrch object" from the pipeline
/// binds to (<c>Get-Pod web-1 | Get-GitOrchEvent</c>). PowerShell binds a pipeline object to an interface-typed
/// parameter without conversion, so this binds before -Name by property name would.
/// </summary>
public interface IGitOrchResource
{
    string Name { get; }

    string? Namespace { get; }

    /// <summary>The object as the API returned it.</summary>
    KubeObject KubeObject { get; }
}

/// <summary>
/// A result whose Pods can be listed: a workload or Service (its label selector) or a Node (the Pods bound to
/// it). <c>Get-Deployment hello | Get-Pod</c> and <c>Get-Node | Get-Pod</c> bind through it.
/// </summary>
public interface IPodOwner : IGitOrchResource
{
    /// <summary>Label selector of its Pods ("app=hello"), or null when it selects by node.</summary>
    string? PodSelector { get; }

    /// <summary>Node whose Pods are meant, or null.</summary>
    string? PodNode { get; }
}
