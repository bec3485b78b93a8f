namespace GitOrch.Tests.Infrastructure.Network;

/// <summary>Plain GETs from the test process to the addresses a Pod-network test made; failures come back as text.</summary>
public static class Http
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero, UseProxy = false }) { Timeout = TimeSpan.FromSeconds(3) };

    public static async Task<string> GetAsync(string url)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.ConnectionClose = true;
            using var response = await Client.SendAsync(request);
            return await response.Content.ReadAsStringAsync();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return "error: " + e.Message;
        }
    }
}
