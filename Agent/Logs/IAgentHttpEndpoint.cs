using System.Net;

namespace GitOrch.Agent.Logs;

/// <summary>
/// One more path on the agent's HTTP server (<see cref="LogServer"/>), served after the same bearer-token check as
/// the log endpoint: <c>/stats/usage</c> and <c>/metrics</c> plug in here.
/// </summary>
public interface IAgentHttpEndpoint
{
    /// <summary>The exact path served ("/stats/usage").</summary>
    string Path { get; }

    Task ServeAsync(HttpListenerResponse response, CancellationToken ct);
}
