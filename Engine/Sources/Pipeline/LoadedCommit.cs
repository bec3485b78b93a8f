using GitOrch.Engine.Sources.Fetch;
using GitOrch.Engine.Sources.Planning;

namespace GitOrch.Engine.Sources.Pipeline;

/// <summary>What fetch -> load -> build gave: the fetched commit and its desired state (null when skipped).</summary>
/// <param name="Reused">The desired state came from <see cref="CommitRequest.Reuse"/>: it was validated before.</param>
public sealed record LoadedCommit(FetchResult Fetched, DesiredState? Desired, bool Reused = false);
