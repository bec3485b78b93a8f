namespace GitOrch.Api.Model;

/// <summary>The values of a Namespace's <c>status.phase</c>.</summary>
public static class NamespacePhases
{
    public const string Active = "Active";
    public const string Terminating = "Terminating";
}
