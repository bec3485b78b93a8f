using System.Collections.Generic;

namespace GitOrch.Api.Model;

public sealed class ConfigMap : KubeObject
{
    public Dictionary<string, string>? Data { get; set; }
    public Dictionary<string, string>? BinaryData { get; set; }
    public bool? Immutable { get; set; }
}
