namespace GitOrch.Api.Client;

/// <summary>Query of a list or watch: selectors in their query-string form and paging.</summary>
public sealed class ListOptions
{
    /// <summary>e.g. <c>app=web,tier!=db</c> or <c>env in (a,b)</c>.</summary>
    public string? LabelSelector { get; set; }

    /// <summary>e.g. <c>spec.nodeName=node-1</c>, <c>status.phase!=Running</c>.</summary>
    public string? FieldSelector { get; set; }

    /// <summary>Page size; 0 or null: everything.</summary>
    public int? Limit { get; set; }

    /// <summary>The <c>metadata.continue</c> of the previous page.</summary>
    public string? Continue { get; set; }
}
