namespace GitOrch.Module.Results;

/// <summary>The local engine Start-GitOrch started: PID SERVER DATAPATH LOG.</summary>
public sealed class EngineProcessInfo
{
    public EngineProcessInfo(int processId, string server, string dataPath, string logFile, bool withAgent)
    {
        ProcessId = processId;
        Server = server;
        DataPath = dataPath;
        LogFile = logFile;
        WithAgent = withAgent;
    }

    public int ProcessId { get; }

    public string Server { get; }

    public string DataPath { get; }

    public string LogFile { get; }

    public bool WithAgent { get; }
}
