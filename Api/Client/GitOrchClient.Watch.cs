using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;

namespace GitOrch.Api.Client;

public sealed partial class GitOrchClient
{
    /// <summary>
    /// Streams changes of a kind. With <paramref name="resourceVersion"/> (e.g. a list's <c>metadata.resourceVersion</c>)
    /// it resumes after that revision; without it, it starts from now. Yields ADDED, MODIFIED, DELETED and BOOKMARK
    /// events; an ERROR event (e.g. 410 Gone: that revision is too old) ends the stream with a
    /// <see cref="GitOrchApiException"/>. The stream ends normally when the server closes it; cancel to stop.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(
        string? ns = null,
        string? resourceVersion = null,
        string? labelSelector = null,
        string? fieldSelector = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where T : KubeObject
    {
        var kind = ResourceKinds.Of<T>();
        var path = kind.CollectionPath(ns) + Query(new ListOptions { LabelSelector = labelSelector, FieldSelector = fieldSelector }, watch: true, resourceVersion);
        using var response = await SendStreamingAsync(HttpMethod.Get, path, cancellationToken).ConfigureAwait(false);

        // netstandard2.0 reads have no token: closing the response is what unblocks a pending ReadLineAsync.
        using var stop = cancellationToken.Register(response.Dispose);
        using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync().ConfigureAwait(false);
            }
            catch (System.Exception) when (cancellationToken.IsCancellationRequested)
            {
                throw new System.OperationCanceledException(cancellationToken);
            }
            catch (IOException)
            {
                // The server went away mid-stream: end like a closed watch so the caller re-watches.
                yield break;
            }

            if (line == null)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield break;
            }

            if (line.Length == 0)
            {
                continue;
            }

            yield return Decode<T>(line);
        }
    }

    internal static WatchEvent<T> Decode<T>(string line)
        where T : KubeObject
    {
        using var doc = JsonDocument.Parse(line);
        var type = doc.RootElement.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";
        doc.RootElement.TryGetProperty("object", out var obj);
        if (type == "ERROR")
        {
            var status = obj.ValueKind == JsonValueKind.Object ? obj.Deserialize<Status>(KubeJson.Options) ?? new Status() : new Status();
            status.Outcome ??= "Failure";
            throw new GitOrchApiException(status);
        }

        return new WatchEvent<T>
        {
            Type = type,
            Object = obj.ValueKind == JsonValueKind.Object ? obj.Deserialize<T>(KubeJson.Options) : null,
        };
    }
}
