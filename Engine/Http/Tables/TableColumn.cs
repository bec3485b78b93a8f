using GitOrch.Api.Model;

namespace GitOrch.Engine.Http.Tables;

/// <summary>One column of a kind's table: its header, meta.k8s.io type, priority (0: shown; 1: only with <c>-o wide</c>) and cell.</summary>
internal sealed record TableColumn(string Name, string Type, int Priority, Func<KubeObject, DateTimeOffset, object?> Cell)
{
    public static TableColumn Text(string name, Func<KubeObject, string?> cell, int priority = 0) => new(name, "string", priority, (o, _) => cell(o) ?? "<none>");

    public static TableColumn Number(string name, Func<KubeObject, long> cell, int priority = 0) => new(name, "integer", priority, (o, _) => cell(o));

    public static TableColumn Age() => new("Age", "string", 0, (o, now) => HumanDuration.Since(o.Metadata.CreationTimestamp, now));
}
