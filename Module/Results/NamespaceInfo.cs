using GitOrch.Api.Model;

namespace GitOrch.Module.Results;

/// <summary>A Namespace: NAME STATUS AGE.</summary>
public sealed class NamespaceInfo : ResourceInfo<Namespace>
{
    public NamespaceInfo(Namespace ns)
        : base(ns)
    {
        Status = ns.Status?.Phase ?? "Active";
    }

    /// <summary>Active or Terminating.</summary>
    public string Status { get; }
}
