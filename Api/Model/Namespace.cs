using System.Collections.Generic;

namespace GitOrch.Api.Model;

public sealed class Namespace : KubeObject<NamespaceSpec, NamespaceStatus>
{
}

public sealed class NamespaceSpec : Extensible
{
    public List<string>? Finalizers { get; set; }
}

public sealed class NamespaceStatus : Extensible
{
    /// <summary>Active or Terminating.</summary>
    public string? Phase { get; set; }
}
