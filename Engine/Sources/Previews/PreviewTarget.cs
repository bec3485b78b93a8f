using GitOrch.Engine.Sources.Fetch;

namespace GitOrch.Engine.Sources.Previews;

/// <summary>One pull request to deploy as a preview: its number, its remote ref, its namespace and how to fetch it.</summary>
internal sealed record PreviewTarget(int Number, RemoteRef Ref, string Namespace, GitCredential? Credential, TimeSpan Timeout);
