using System.Text.Json.Nodes;

namespace GitOrch.Engine.Sources.Loading;

/// <summary>One non-empty YAML document of a file, converted to JSON, with the line of every value.</summary>
public sealed record YamlDocument(string File, int Line, JsonObject Root, LineMap Lines);
