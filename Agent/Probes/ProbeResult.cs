namespace GitOrch.Agent.Probes;

public enum ProbeResult
{
    Unknown,
    Success,
    Failure,
}
