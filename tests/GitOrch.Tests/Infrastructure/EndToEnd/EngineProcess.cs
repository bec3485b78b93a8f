using System.Text.RegularExpressions;

namespace GitOrch.Tests.Infrastructure.EndToEnd;

/// <summary>
/// <c>gitorch server</c> as its own process on a data directory, listening on port 0 of a test address (it prints the
/// address in use). Optionally with its embedded agent (<c>--with-agent --node-name</c>), whose node address is the
/// listen address. Started again on the same data directory it must pick up where the killed one stopped.
/// </summary>
public sealed partial class EngineProcess : IDisposable
{
    private EngineProcess(GitorchProcess process, string dataDir, Uri baseUrl, string adminToken)
    {
        Process = process;
        DataDir = dataDir;
        BaseUrl = baseUrl;
        AdminToken = adminToken;
    }

    public GitorchProcess Process { get; }

    public string DataDir { get; }

    /// <summary>Where the API listens in this run (port 0 picks a new port on every start).</summary>
    public Uri BaseUrl { get; }

    public string AdminToken { get; }

    /// <summary>The plain agent token file (<c>agent.token</c>): a <c>gitorch agent</c> given it also needs <c>--ca-file</c>.</summary>
    public string AgentTokenFile => Path.Combine(DataDir, "agent.token");

    /// <summary>The K10 join token file (<c>join.token</c>): what a separate <c>gitorch agent</c> passes as <c>--token-file</c>.</summary>
    public string JoinTokenFile => Path.Combine(DataDir, "join.token");

    /// <summary><c>&lt;data-dir&gt;/ca.crt</c>.</summary>
    public string CaFile => Path.Combine(DataDir, "ca.crt");

    /// <summary><c>&lt;data-dir&gt;/kubeconfig.yaml</c>, written by the engine at start.</summary>
    public string KubeconfigPath => Path.Combine(DataDir, "kubeconfig.yaml");

    /// <summary>The engine's CA, read from <see cref="CaFile"/>.</summary>
    public GitOrch.Api.Client.Tls.EngineCa Ca => GitOrch.Api.Client.Tls.EngineCa.FromPemFile(CaFile);

    /// <summary>A typed client with the admin token, trusting the engine's CA.</summary>
    public GitOrch.Api.Client.GitOrchClient CreateClient() => new(BaseUrl, AdminToken, Ca);

    /// <summary>A raw HttpClient trusting the engine's CA, with the admin token unless <paramref name="token"/> says otherwise.</summary>
    public HttpClient CreateHttpClient(string? token = "", TimeSpan? timeout = null)
        => Http.EngineHttp.Create(BaseUrl, Ca, token == "" ? AdminToken : token, timeout);

    /// <summary>Starts the engine and returns once it printed its address and <c>/readyz</c> answers 200.</summary>
    public static async Task<EngineProcess> StartAsync(string dataDir, string address, string? agentNodeName, TimeSpan timeout)
    {
        var args = new List<string> { "server", "--data-dir", dataDir, "--listen", address + ":0" };
        if (agentNodeName != null)
        {
            args.AddRange(new[] { "--with-agent", "--node-name", agentNodeName });
        }

        var process = GitorchProcess.Start(agentNodeName == null ? "engine" : $"engine with agent {agentNodeName}", args);
        try
        {
            var deadline = DateTime.UtcNow + timeout;
            var listening = await process.WaitForLineAsync(Listening(), timeout);
            var baseUrl = new Uri(listening.Groups["url"].Value);
            await WaitReadyAsync(process, baseUrl, GitOrch.Api.Client.Tls.EngineCa.FromPemFile(Path.Combine(dataDir, "ca.crt")), deadline);
            if (agentNodeName != null)
            {
                // Printed after the embedded agent registered its Node and started its proxy.
                await process.WaitForLineAsync(DataDirectoryLine(), deadline - DateTime.UtcNow);
            }

            var token = (await File.ReadAllTextAsync(Path.Combine(dataDir, "admin.token"))).Trim();
            return new EngineProcess(process, dataDir, baseUrl, token);
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>SIGKILL: the process dies mid-whatever; its data directory stays as the crash left it.</summary>
    public void Kill() => Process.Kill();

    public void Dispose() => Process.Dispose();

    private static async Task WaitReadyAsync(GitorchProcess process, Uri baseUrl, GitOrch.Api.Client.Tls.EngineCa ca, DateTime deadline)
    {
        using var http = Http.EngineHttp.Create(baseUrl, ca, null, TimeSpan.FromSeconds(5));
        var last = "no answer yet";
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(baseUrl, "/readyz"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            catch (TaskCanceledException e)
            {
                last = e.Message;
            }

            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{baseUrl}readyz never answered 200 (last: {last})\n{process.Output()}");
            }

            await Task.Delay(50);
        }
    }

    [GeneratedRegex(@"^gitorch engine listening on (?<url>https://\S+)$")]
    private static partial Regex Listening();

    [GeneratedRegex(@"^data directory ")]
    private static partial Regex DataDirectoryLine();
}
