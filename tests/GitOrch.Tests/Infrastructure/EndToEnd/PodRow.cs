namespace GitOrch.Tests.Infrastructure.EndToEnd;

/// <summary>One line of <c>Get-Pod</c> as the tests compare it: identity (name, uid) and what the user sees.</summary>
public sealed record PodRow(string Name, string Uid, string Status, string Ready, int Restarts, string Node, string IP)
{
    /// <summary>The script that prints one parsable line per Pod (the Pod's uid is on the typed object it wraps).</summary>
    public const string Script = "Get-Pod -Namespace $ns -Selector $sel | ForEach-Object { '{0} {1} {2} {3} {4} {5} {6}' -f $_.Name, $_.Object.Metadata.Uid, $_.Status, $_.Ready, $_.Restarts, $_.Node, $_.IP }";

    public bool IsRunningAndReady => Status == "Running" && Ready.Split('/') is [var r, var t] && r == t && r != "0";

    public static PodRow Parse(string line)
    {
        var f = line.Split(' ');
        return new PodRow(f[0], f[1], f[2], f[3], int.Parse(f[4], System.Globalization.CultureInfo.InvariantCulture), f.Length > 5 ? f[5] : "", f.Length > 6 ? f[6] : "");
    }

    public override string ToString() => $"{Name} {Uid[..Math.Min(8, Uid.Length)]} {Status} {Ready} restarts={Restarts} {Node} {IP}";
}
