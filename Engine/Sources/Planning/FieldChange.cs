namespace GitOrch.Engine.Sources.Planning;

/// <summary>One field of an update: path ("spec.replicas"), the live value and the value Git wants (JSON text).</summary>
public sealed record FieldChange(string Path, string? From, string? To);
