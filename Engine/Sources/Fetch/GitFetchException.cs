namespace GitOrch.Engine.Sources.Fetch;

/// <summary>A fetch or push that failed; the message is already scrubbed of credentials.</summary>
public sealed class GitFetchException : Exception
{
    public GitFetchException(string reason, string message, Exception? inner = null)
        : base(message, inner) => Reason = reason;

    /// <summary>FetchFailed, AuthenticationFailed, RefNotFound, Timeout, PushRejected.</summary>
    public string Reason { get; }
}
