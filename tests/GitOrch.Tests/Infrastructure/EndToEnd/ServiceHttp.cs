namespace GitOrch.Tests.Infrastructure.EndToEnd;

/// <summary>Plain HTTP GETs as a user's browser would make them, returning the failure as text so polling can show it.</summary>
public static class ServiceHttp
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero, UseProxy = false })
    {
        Timeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>The body of a 200 answer, or "error: ..." (status, refused connection, reset, timeout).</summary>
    public static async Task<string> GetAsync(string host, int port, string path = "/")
    {
        try
        {
            // A fresh connection per request: the Service proxy picks backends per connection.
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{host}:{port}{path}");
            request.Headers.ConnectionClose = true;
            using var response = await Http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            return response.IsSuccessStatusCode ? body : $"error: {(int)response.StatusCode} {body}";
        }
        catch (HttpRequestException e)
        {
            return "error: " + e.Message;
        }
        catch (TaskCanceledException)
        {
            return "error: timed out";
        }
    }
}
