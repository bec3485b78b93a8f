using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GitOrch.Tests.Infrastructure.Sources;

/// <summary>
/// Smart HTTP Git: Kestrel on loopback with basic auth in front of the real <c>git http-backend</c>,
/// bridged as CGI (request body to stdin, CGI headers and body back from stdout).
/// </summary>
public sealed class GitHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GitHttpServer(WebApplication app, string url)
    {
        _app = app;
        BaseUrl = url;
    }

    public string BaseUrl { get; }

    public string UrlOf(string repoFolder) => $"{BaseUrl}/{repoFolder}";

    public static async Task<GitHttpServer> StartAsync(string projectRoot, string username, string password)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(username + ":" + password));
        app.Run(async http =>
        {
            if (http.Request.Headers.Authorization.ToString() != expected)
            {
                http.Response.StatusCode = 401;
                http.Response.Headers.WWWAuthenticate = "Basic realm=\"git\"";
                return;
            }

            await BridgeAsync(http, projectRoot, username);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new GitHttpServer(app, address.TrimEnd('/'));
    }

    private static async Task BridgeAsync(HttpContext http, string projectRoot, string user)
    {
        var psi = new ProcessStartInfo("git") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("http-backend");
        psi.Environment["GIT_PROJECT_ROOT"] = projectRoot;
        psi.Environment["GIT_HTTP_EXPORT_ALL"] = "1";
        psi.Environment["PATH_INFO"] = http.Request.Path.Value ?? "/";
        psi.Environment["REQUEST_METHOD"] = http.Request.Method;
        psi.Environment["QUERY_STRING"] = http.Request.QueryString.HasValue ? http.Request.QueryString.Value![1..] : "";
        psi.Environment["CONTENT_TYPE"] = http.Request.ContentType ?? "";
        psi.Environment["REMOTE_USER"] = user;
        psi.Environment["REMOTE_ADDR"] = "127.0.0.1";
        psi.Environment["GIT_PROTOCOL"] = http.Request.Headers["Git-Protocol"].ToString();
        psi.Environment["HTTP_CONTENT_ENCODING"] = http.Request.Headers.ContentEncoding.ToString();
        if (http.Request.ContentLength != null)
        {
            psi.Environment["CONTENT_LENGTH"] = http.Request.ContentLength.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        using var p = Process.Start(psi)!;
        var errors = p.StandardError.ReadToEndAsync();
        var feed = Task.Run(async () =>
        {
            await http.Request.Body.CopyToAsync(p.StandardInput.BaseStream);
            p.StandardInput.Close();
        });
        var stdout = p.StandardOutput.BaseStream;
        var headerBytes = new List<byte>();
        var one = new byte[1];
        while (await stdout.ReadAsync(one) == 1)
        {
            headerBytes.Add(one[0]);
            var n = headerBytes.Count;
            if (n >= 4 && headerBytes[n - 4] == '\r' && headerBytes[n - 3] == '\n' && headerBytes[n - 2] == '\r' && headerBytes[n - 1] == '\n')
            {
                break;
            }

            if (n >= 2 && headerBytes[n - 2] == '\n' && headerBytes[n - 1] == '\n')
            {
                break;
            }
        }

        foreach (var line in Encoding.ASCII.GetString(headerBytes.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var l = line.TrimEnd('\r');
            var colon = l.IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }

            var name = l[..colon].Trim();
            var value = l[(colon + 1)..].Trim();
            if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
            {
                http.Response.StatusCode = int.Parse(value.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                http.Response.Headers[name] = value;
            }
        }

        await stdout.CopyToAsync(http.Response.Body);
        await feed;
        await p.WaitForExitAsync();
        _ = await errors;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
