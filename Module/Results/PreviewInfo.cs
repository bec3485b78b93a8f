namespace GitOrch.Module.Results;

/// <summary>One pull-request preview of a GitSource: SOURCE NUMBER NAMESPACE COMMIT STATE.</summary>
public sealed class PreviewInfo
{
    public PreviewInfo(string source, string? sourceNamespace, Api.Model.PreviewStatus p)
    {
        Source = source;
        SourceNamespace = sourceNamespace;
        Number = p.Number;
        Ref = p.Ref;
        Commit = p.Commit;
        Namespace = p.Namespace;
        State = p.State;
        Message = p.Message;
    }

    public string Source { get; }

    public string? SourceNamespace { get; }

    /// <summary>The pull (merge) request number.</summary>
    public int Number { get; }

    public string? Ref { get; }

    public string? Commit { get; }

    /// <summary>The namespace the preview is deployed in.</summary>
    public string Namespace { get; }

    public string? State { get; }

    public string? Message { get; }
}
