using System.Net.Http.Headers;
using GitOrch.Api.Client.Tls;

namespace GitOrch.Tests.Infrastructure.Http;

/// <summary>A raw <see cref="HttpClient"/> for an Engine's HTTPS API that trusts exactly its CA (and nothing else).</summary>
public static class EngineHttp
{
    public static HttpClient Create(Uri baseUrl, EngineCa ca, string? token = null, TimeSpan? timeout = null)
    {
        var http = new HttpClient(new EngineTlsHandler(ca)) { BaseAddress = baseUrl, Timeout = timeout ?? TimeSpan.FromSeconds(100) };
        if (token != null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }
}
