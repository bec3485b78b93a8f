using System.Net.Http.Headers;
using System.Text;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;
using GitOrch.Tests.Infrastructure;
using Xunit;

namespace GitOrch.Tests.Infrastructure.Http;

/// <summary>Raw HTTPS against a TestEngine (trusting its CA), for what the typed client would never send (bad JSON, wrong media type, no token).</summary>
internal sealed class RawHttp : IDisposable
{
    private readonly HttpClient _http;

    public RawHttp(TestEngine engine, string? token)
    {
        _http = engine.CreateHttpClient(token);
    }

    public async Task<(int Code, string Body)> SendAsync(string method, string path, string? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body != null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await _http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Sends and decodes the Status the server must answer with.</summary>
    public async Task<Status> StatusAsync(string method, string path, string? body = null, string contentType = "application/json")
    {
        var (code, text) = await SendAsync(method, path, body, contentType);
        var status = KubeJson.Deserialize<Status>(text);
        Assert.Equal("Status", status.Kind);
        Assert.Equal(code, status.Code);
        return status;
    }

    public void Dispose() => _http.Dispose();
}
