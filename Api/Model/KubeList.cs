using System.Collections.Generic;

namespace GitOrch.Api.Model;

/// <summary>A list answer ("PodList", ...), items in the wire shape of their kind.</summary>
public sealed class KubeList<T> : Extensible
    where T : KubeObject
{
    public string? ApiVersion { get; set; }
    public string? Kind { get; set; }
    public ListMeta Metadata { get; set; } = new();
    public List<T> Items { get; set; } = new();
}

/// <summary>One line of a watch stream.</summary>
public sealed class WatchEvent<T>
{
    /// <summary>ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.</summary>
    public string Type { get; set; } = "";
    public T? Object { get; set; }
}
