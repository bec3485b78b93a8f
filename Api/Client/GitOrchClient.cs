using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;

namespace GitOrch.Api.Client;

/// <summary>
/// Typed client of the Engine's Kubernetes-shaped HTTP API, shared by the Agent and the PowerShell module.
/// Every failure the server answers is a <see cref="GitOrchApiException"/> with the decoded <see cref="Status"/>;
/// transport failures (connection refused, ...) stay <see cref="HttpRequestException"/>.
/// Thread-safe: one instance serves any number of concurrent calls and watches.
/// </summary>
public sealed partial class GitOrchClient : IDisposable
{
    internal const string JsonType = "application/json";
    internal const string MergePatchType = "application/merge-patch+json";
    private static readonly HttpMethod Patch = new("PATCH");

    private readonly HttpClient _http;

    /// <param name="baseUrl">The Engine's address, e.g. <c>https://127.0.0.1:6443</c>.</param>
    /// <param name="token">A bearer token (<c>admin.token</c> or <c>agent.token</c> of the data directory).</param>
    /// <param name="handler">Optional transport (tests, proxies; <see cref="Tls.EngineTlsHandler"/> to trust the Engine's CA); disposed with the client when <paramref name="disposeHandler"/>.</param>
    public GitOrchClient(Uri baseUrl, string token, HttpMessageHandler? handler = null, bool disposeHandler = true)
    {
        if (baseUrl == null)
        {
            throw new ArgumentNullException(nameof(baseUrl));
        }

        BaseUrl = baseUrl;
        _http = handler == null ? new HttpClient() : new HttpClient(handler, disposeHandler);
        _http.BaseAddress = new Uri(baseUrl.ToString().TrimEnd('/') + "/");

        // Watches and log streams live for hours: the per-call RequestTimeout applies to unary calls only.
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (token ?? "").Trim());
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue(JsonType));
    }

    /// <summary>A client that trusts exactly <paramref name="ca"/> for the Engine's HTTPS certificate.</summary>
    public GitOrchClient(Uri baseUrl, string token, Tls.EngineCa ca)
        : this(baseUrl, token, new Tls.EngineTlsHandler(ca))
    {
    }

    public GitOrchClient(string baseUrl, string token, HttpMessageHandler? handler = null)
        : this(new Uri(baseUrl), token, handler)
    {
    }

    public Uri BaseUrl { get; }

    /// <summary>Deadline of one non-streaming call. Default 100 seconds.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    // ---- typed verbs -------------------------------------------------------------------------

    public async Task<T> GetAsync<T>(string? ns, string name, CancellationToken cancellationToken = default)
        where T : KubeObject
        => (T)await GetAsync(ResourceKinds.Of<T>(), ns, name, cancellationToken).ConfigureAwait(false);

    /// <summary>Like <see cref="GetAsync{T}"/> but null when the object does not exist.</summary>
    public async Task<T?> TryGetAsync<T>(string? ns, string name, CancellationToken cancellationToken = default)
        where T : KubeObject
    {
        try
        {
            return await GetAsync<T>(ns, name, cancellationToken).ConfigureAwait(false);
        }
        catch (GitOrchApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    public Task<KubeList<T>> ListAsync<T>(string? ns = null, string? labelSelector = null, string? fieldSelector = null, CancellationToken cancellationToken = default)
        where T : KubeObject
        => ListAsync<T>(ns, new ListOptions { LabelSelector = labelSelector, FieldSelector = fieldSelector }, cancellationToken);

    public async Task<KubeList<T>> ListAsync<T>(string? ns, ListOptions options, CancellationToken cancellationToken = default)
        where T : KubeObject
    {
        var kind = ResourceKinds.Of<T>();
        var path = kind.CollectionPath(ns) + Query(options, watch: false, resourceVersion: null);
        var bytes = await SendBytesAsync(HttpMethod.Get, path, null, null, cancellationToken).ConfigureAwait(false);
        var list = KubeJson.Deserialize<KubeList<T>>(Encoding.UTF8.GetString(bytes));

        // Kubernetes omits apiVersion/kind on list items; fill them so items stand on their own.
        foreach (var item in list.Items)
        {
            KubeJson.WithTypeMeta(item);
        }

        return list;
    }

    /// <summary>Creates the object in its <c>metadata.namespace</c> (default: "default" for namespaced kinds).</summary>
    public async Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : KubeObject
    {
        var kind = KindOf(obj);
        var path = kind.CollectionPath(kind.Namespaced ? obj.Metadata.Namespace ?? "default" : null);
        return (T)await SendObjectAsync(HttpMethod.Post, path, obj, kind, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>PUT: replaces metadata and spec. A set, stale <c>metadata.resourceVersion</c> fails with 409 Conflict.</summary>
    public async Task<T> ReplaceAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : KubeObject
    {
        var kind = KindOf(obj);
        return (T)await SendObjectAsync(HttpMethod.Put, kind.ObjectPath(obj.Metadata.Namespace, obj.Name), obj, kind, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>PUT on the <c>status</c> subresource: replaces status only.</summary>
    public async Task<T> ReplaceStatusAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : KubeObject
    {
        var kind = KindOf(obj);
        return (T)await SendObjectAsync(HttpMethod.Put, kind.ObjectPath(obj.Metadata.Namespace, obj.Name) + "/status", obj, kind, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>JSON merge patch (RFC 7386). <paramref name="patch"/> is a JSON string or any object serialized in the wire format.</summary>
    public async Task<T> PatchAsync<T>(string? ns, string name, object patch, CancellationToken cancellationToken = default)
        where T : KubeObject
        => (T)await PatchAsync(ResourceKinds.Of<T>(), ns, name, patch, null, cancellationToken).ConfigureAwait(false);

    /// <summary>Merge patch of the <c>status</c> subresource.</summary>
    public async Task<T> PatchStatusAsync<T>(string? ns, string name, object patch, CancellationToken cancellationToken = default)
        where T : KubeObject
        => (T)await PatchAsync(ResourceKinds.Of<T>(), ns, name, patch, "status", cancellationToken).ConfigureAwait(false);

    /// <param name="propagationPolicy">Background (default), Foreground or Orphan.</param>
    public Task DeleteAsync<T>(string? ns, string name, string? propagationPolicy = null, CancellationToken cancellationToken = default)
        where T : KubeObject
        => DeleteAsync(ResourceKinds.Of<T>(), ns, name, propagationPolicy, cancellationToken);

    // ---- by ResourceKind (for callers that pick the kind at run time, e.g. cmdlets) -----------

    public async Task<KubeObject> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken = default)
    {
        var bytes = await SendBytesAsync(HttpMethod.Get, kind.ObjectPath(ns, name), null, null, cancellationToken).ConfigureAwait(false);
        return (KubeObject)KubeJson.Deserialize(bytes, kind.Type);
    }

    /// <summary>Lists any kind; items are typed as <see cref="ResourceKind.Type"/>.</summary>
    public async Task<KubeList<KubeObject>> ListAsync(ResourceKind kind, string? ns, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var path = kind.CollectionPath(ns) + Query(options, watch: false, resourceVersion: null);
        var bytes = await SendBytesAsync(HttpMethod.Get, path, null, null, cancellationToken).ConfigureAwait(false);
        return ListDecoder.Decode(kind, bytes);
    }

    public Task<KubeObject> CreateAsync(KubeObject obj, CancellationToken cancellationToken = default) => CreateAsync<KubeObject>(obj, cancellationToken);

    public async Task<KubeObject> PatchAsync(ResourceKind kind, string? ns, string name, object patch, string? subresource = null, CancellationToken cancellationToken = default)
    {
        var body = patch as string ?? KubeJson.Serialize(patch, patch.GetType());
        var path = kind.ObjectPath(ns, name) + (subresource == null ? "" : "/" + subresource);
        var bytes = await SendBytesAsync(Patch, path, body, MergePatchType, cancellationToken).ConfigureAwait(false);
        return (KubeObject)KubeJson.Deserialize(bytes, kind.Type);
    }

    public async Task DeleteAsync(ResourceKind kind, string? ns, string name, string? propagationPolicy = null, CancellationToken cancellationToken = default)
    {
        var path = kind.ObjectPath(ns, name);
        if (!string.IsNullOrEmpty(propagationPolicy))
        {
            path += "?propagationPolicy=" + Uri.EscapeDataString(propagationPolicy);
        }

        await SendBytesAsync(HttpMethod.Delete, path, null, null, cancellationToken).ConfigureAwait(false);
    }

    // ---- raw helpers for subresources (binding, scale, log, plan/commits/revert, ...) ---------

    /// <summary>Sends <paramref name="jsonBody"/> to <paramref name="path"/> (e.g. <c>/api/v1/namespaces/default/pods/web/binding</c>) and returns the response body.</summary>
    public async Task<string> SendAsync(HttpMethod method, string path, string? jsonBody = null, string contentType = JsonType, CancellationToken cancellationToken = default)
    {
        var bytes = await SendBytesAsync(method, path, jsonBody, jsonBody == null ? null : contentType, cancellationToken).ConfigureAwait(false);
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Sends <paramref name="body"/> (serialized in the wire format, or a JSON string as is) and decodes the answer.</summary>
    public async Task<TResponse> SendAsync<TResponse>(HttpMethod method, string path, object? body = null, CancellationToken cancellationToken = default)
    {
        var json = body == null ? null : body as string ?? KubeJson.Serialize(body, body.GetType());
        var contentType = method.Method == "PATCH" ? MergePatchType : JsonType;
        var bytes = await SendBytesAsync(method, path, json, json == null ? null : contentType, cancellationToken).ConfigureAwait(false);
        return (TResponse)KubeJson.Deserialize(bytes, typeof(TResponse));
    }

    /// <summary>GET that streams the body (e.g. <c>pods/{name}/log?follow=true</c>). Dispose the stream to end it.</summary>
    public async Task<Stream> OpenStreamAsync(string path, CancellationToken cancellationToken = default)
    {
        var response = await SendStreamingAsync(HttpMethod.Get, path, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
    }

    public void Dispose() => _http.Dispose();

    // ---- plumbing -----------------------------------------------------------------------------

    private static ResourceKind KindOf(KubeObject obj)
    {
        KubeJson.WithTypeMeta(obj);
        return ResourceKinds.Of(obj.GetType());
    }

    private async Task<KubeObject> SendObjectAsync(HttpMethod method, string path, KubeObject obj, ResourceKind kind, CancellationToken cancellationToken)
    {
        var body = KubeJson.Serialize(obj, kind.Type);
        var bytes = await SendBytesAsync(method, path, body, JsonType, cancellationToken).ConfigureAwait(false);
        return (KubeObject)KubeJson.Deserialize(bytes, kind.Type);
    }

    private async Task<byte[]> SendBytesAsync(HttpMethod method, string path, string? body, string? contentType, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        using var request = new HttpRequestMessage(method, RelativeUri(path));
        if (body != null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? JsonType);
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw StatusDecoder.ToException((int)response.StatusCode, bytes);
        }

        return bytes;
    }

    private async Task<HttpResponseMessage> SendStreamingAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, RelativeUri(path));
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                throw StatusDecoder.ToException((int)response.StatusCode, bytes);
            }
        }

        return response;
    }

    private static Uri RelativeUri(string path) => new(path.TrimStart('/'), UriKind.Relative);

    internal static string Query(ListOptions? options, bool watch, string? resourceVersion)
    {
        var parts = new List<string>();
        if (watch)
        {
            parts.Add("watch=true");
        }

        if (!string.IsNullOrEmpty(resourceVersion))
        {
            parts.Add("resourceVersion=" + Uri.EscapeDataString(resourceVersion));
        }

        if (!string.IsNullOrEmpty(options?.LabelSelector))
        {
            parts.Add("labelSelector=" + Uri.EscapeDataString(options!.LabelSelector));
        }

        if (!string.IsNullOrEmpty(options?.FieldSelector))
        {
            parts.Add("fieldSelector=" + Uri.EscapeDataString(options!.FieldSelector));
        }

        if (options?.Limit is int limit && limit > 0)
        {
            parts.Add("limit=" + limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (!string.IsNullOrEmpty(options?.Continue))
        {
            parts.Add("continue=" + Uri.EscapeDataString(options!.Continue));
        }

        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }
}
