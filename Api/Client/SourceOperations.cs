using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using GitOrch.Api.Model;

namespace GitOrch.Api.Client;

/// <summary>Body of <c>POST .../gitsources/{name}/plan</c>: a branch, tag, commit or <c>refs/pull/N/head</c>.</summary>
public sealed class SourcePlanRequest
{
    public string? Ref { get; set; }
}

/// <summary>Answer of the plan subresource: what applying that ref would change, without changing anything.</summary>
public sealed class SourcePlan : Extensible
{
    public string? Ref { get; set; }
    public string Commit { get; set; } = "";
    public List<SourcePlanChange> Changes { get; set; } = new();
    public int Unchanged { get; set; }
    public List<string>? Warnings { get; set; }
    public List<string>? Errors { get; set; }
    public string? Summary { get; set; }
}

/// <summary>One step of a plan.</summary>
public sealed class SourcePlanChange : Extensible
{
    /// <summary>Create, Update or Delete.</summary>
    [JsonConverter(typeof(PlanActionConverter))]
    public string Action { get; set; } = "";
    public string ApiVersion { get; set; } = "";
    public string Kind { get; set; } = "";
    public string? Namespace { get; set; }
    public string Name { get; set; } = "";
    public string? File { get; set; }
    /// <summary>"new in Git", "changed in Git", "drifted", "removed from Git".</summary>
    public string? Reason { get; set; }
    public List<SourceFieldChange>? Changes { get; set; }
}

/// <summary>One field of an update: path ("spec.replicas"), the live value and the value Git wants (JSON text).</summary>
public sealed class SourceFieldChange : Extensible
{
    public string Path { get; set; } = "";
    public string? From { get; set; }
    public string? To { get; set; }
}

/// <summary>Body of <c>POST .../gitsources/{name}/commits</c>: files to write (path in the repository -> content; null deletes).</summary>
public sealed class SourceCommitRequest
{
    public Dictionary<string, string?> Files { get; set; } = new(StringComparer.Ordinal);
    public string Message { get; set; } = "";
    /// <summary>The branch to commit on, created off <see cref="Base"/> when it does not exist. Null: a new gitorch/change-... branch.</summary>
    public string? Branch { get; set; }
    /// <summary>Where a new branch starts; default the tracked branch.</summary>
    public string? Base { get; set; }
    /// <summary>The commit the change was prepared against; the server refuses (409) when the branch moved since.</summary>
    public string? Parent { get; set; }
    public string? AuthorName { get; set; }
    public string? AuthorEmail { get; set; }
}

/// <summary>Body of <c>POST .../gitsources/{name}/revert</c>.</summary>
public sealed class SourceRevertRequest
{
    public string Commit { get; set; } = "";
    /// <summary>Null: revert on the tracked branch; a name: on that (new) branch, for a pull request.</summary>
    public string? Branch { get; set; }
    public string? Message { get; set; }
    public string? AuthorName { get; set; }
    public string? AuthorEmail { get; set; }
}

/// <summary>Answer of the commits and revert subresources: where the change landed in the remote.</summary>
public sealed class SourceCommitResult : Extensible
{
    public string? Branch { get; set; }
    public string? Commit { get; set; }
    /// <summary>True when the write created the branch (a new pull-request branch).</summary>
    public bool? CreatedBranch { get; set; }
}

/// <summary>Reads the plan action as a string, also when a server sends the enum's number (0 Create, 1 Update, 2 Delete).</summary>
internal sealed class PlanActionConverter : JsonConverter<string>
{
    private static readonly string[] Names = { "Create", "Update", "Delete" };

    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => reader.TokenType == JsonTokenType.Number
            ? reader.GetInt32() is var n && n >= 0 && n < Names.Length ? Names[n] : n.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : reader.GetString() ?? "";

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
