namespace GitOrch.Api.Model;

/// <summary>The values of a Pod's <c>status.phase</c> (core/v1 PodPhase): the one place the wire strings are spelled.</summary>
public static class PodPhases
{
    public const string Pending = "Pending";
    public const string Running = "Running";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";
    public const string Unknown = "Unknown";

    /// <summary>Succeeded or Failed: the Pod's containers will not run again.</summary>
    public static bool IsTerminal(string? phase) => phase == Succeeded || phase == Failed;
}
