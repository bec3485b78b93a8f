using GitOrch.Engine.Sources.Loading;

namespace GitOrch.Engine.Sources;

/// <summary>Why a source reconcile failed, as its status reports it.</summary>
/// <param name="Reason">The condition (and Event) reason: SecretNotFound, FetchFailed, ValidationFailed, ApplyFailed.</param>
/// <param name="Commit">The commit it failed on, when it got that far.</param>
/// <param name="Stalled">The user must fix something (no retry); otherwise the failure is retried.</param>
/// <param name="Warnings">Manifest warnings to publish with it (validation failures).</param>
internal sealed record SourceFailure(string Reason, string Message, string? Commit, bool Stalled, IReadOnlyList<ManifestIssue>? Warnings = null);
