using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GitOrch.Api.Model;

/// <summary>
/// Base of every wire type. Fields GitOrch does not model are kept here rather than dropped, so a
/// round trip preserves them and the manifest loader can report each one as a warning.
/// </summary>
public abstract class Extensible
{
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? UnknownFields { get; set; }
}
