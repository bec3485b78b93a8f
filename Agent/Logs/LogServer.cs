using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Docker.DotNet.Models;
using GitOrch.Agent.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GitOrch.Agent.Logs;

/// <summary>
/// The agent's HTTP endpoint the Engine proxies <c>pods/{name}/log</c> to:
/// <c>GET /containerLogs/{namespace}/{pod}/{container}?follow=&amp;tailLines=&amp;previous=&amp;timestamps=</c>.
/// It listens on the node's address and requires the Engine's agent token as a bearer credential, so only the
/// Engine (or another holder of that token) can read container output.
/// </summary>
public sealed class LogServer : IAsyncDisposable
{
    public const string PathPrefix = "/containerLogs";

    private readonly WebApplication _app;

    private LogServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public static async Task<LogServer> StartAsync(AgentOptions options, DockerRuntime docker, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Parse(options.NodeIP), options.LogPort);
            k.AddServerHeader = false;
        });
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var token = Encoding.UTF8.GetBytes(options.Token.Trim());
        app.MapGet("/healthz", () => "ok");
        app.MapGet(PathPrefix + "/{ns}/{pod}/{container?}", (HttpContext context, string ns, string pod, string? container) =>
            ServeAsync(context, options.NodeName, docker, token, ns, pod, container));
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LogServer(app, new Uri(address).Port);
    }

    private static async Task ServeAsync(HttpContext context, string nodeName, DockerRuntime docker, byte[] token, string ns, string pod, string? container)
    {
        var ct = context.RequestAborted;
        if (!Authorized(context.Request.Headers.Authorization.ToString(), token))
        {
            await PlainAsync(context, 401, "Unauthorized");
            return;
        }

        var q = context.Request.Query;
        var follow = Flag(q["follow"]);
        var previous = Flag(q["previous"]);
        var timestamps = Flag(q["timestamps"]);
        var tail = int.TryParse(q["tailLines"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : (int?)null;

        var all = await docker.ListAsync(nodeName, null, ct);
        var ofPod = all.Where(c => c.Labels != null
                && c.Labels.TryGetValue(AgentLabels.PodNamespace, out var cns) && cns == ns
                && c.Labels.TryGetValue(AgentLabels.PodName, out var cpod) && cpod == pod)
            .Select(c => (Id: c.ID, Name: c.Labels[AgentLabels.ContainerName], Attempt: int.TryParse(c.Labels.TryGetValue(AgentLabels.Attempt, out var a) ? a : "0", out var ai) ? ai : 0, Created: c.Created))
            .ToList();
        if (ofPod.Count == 0)
        {
            await PlainAsync(context, 404, $"pod \"{pod}\" in namespace \"{ns}\" has no containers on node {nodeName}");
            return;
        }

        if (string.IsNullOrEmpty(container))
        {
            var names = ofPod.Select(c => c.Name).Distinct().ToList();
            if (names.Count > 1)
            {
                await PlainAsync(context, 400, $"a container name must be specified for pod {pod}, choose one of: [{string.Join(" ", names)}]");
                return;
            }

            container = names[0];
        }

        // Pod restarts keep the previous instance: attempts ordered, newest first.
        var instances = ofPod.Where(c => c.Name == container).OrderByDescending(c => c.Attempt).ThenByDescending(c => c.Created).ToList();
        var index = previous ? 1 : 0;
        if (instances.Count <= index)
        {
            await PlainAsync(context, previous ? 400 : 404, previous
                ? $"previous terminated container \"{container}\" in pod \"{pod}\" not found"
                : $"container \"{container}\" in pod \"{pod}\" not found");
            return;
        }

        using var stream = await docker.LogsAsync(instances[index].Id, new ContainerLogsParameters
        {
            ShowStdout = true,
            ShowStderr = true,
            Follow = follow && !previous,
            Timestamps = timestamps,
            Tail = tail?.ToString(CultureInfo.InvariantCulture) ?? "all",
        }, ct);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.StartAsync(ct);
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                // Docker multiplexes stdout and stderr in frames; the client wants the text, interleaved as written.
                var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, ct);
                if (read.EOF)
                {
                    break;
                }

                await context.Response.Body.WriteAsync(buffer.AsMemory(0, read.Count), ct);
                if (follow)
                {
                    await context.Response.Body.FlushAsync(ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away: end of a follow.
        }
    }

    private static bool Authorized(string header, byte[] token)
    {
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()), token);
    }

    private static bool Flag(string? value) => value is "true" or "1" or "True";

    private static async Task PlainAsync(HttpContext context, int code, string message)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(message, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
