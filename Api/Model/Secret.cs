using System;
using System.Collections.Generic;
using System.Text;

namespace GitOrch.Api.Model;

public sealed class Secret : KubeObject
{
    /// <summary>Values are base64, as on the wire.</summary>
    public Dictionary<string, string>? Data { get; set; }
    /// <summary>Write-only convenience: merged into <see cref="Data"/> when stored.</summary>
    public Dictionary<string, string>? StringData { get; set; }
    public string? Type { get; set; }
    public bool? Immutable { get; set; }

    /// <summary>The decoded value of a key from data or stringData, or null.</summary>
    public string? GetString(string key)
    {
        if (StringData != null && StringData.TryGetValue(key, out var s))
        {
            return s;
        }

        return Data != null && Data.TryGetValue(key, out var b64) ? Encoding.UTF8.GetString(Convert.FromBase64String(b64)) : null;
    }
}
