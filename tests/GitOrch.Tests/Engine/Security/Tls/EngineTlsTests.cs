using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using GitOrch.Api.Client;
using GitOrch.Api.Client.Tls;
using GitOrch.Api.Model;
using GitOrch.Engine.Hosting;
using GitOrch.Engine.Security.Tls;
using GitOrch.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Xunit;

namespace GitOrch.Tests.Engine.Security.Tls;

/// <summary>The Engine's CA, serving certificate and client files in its data directory, across restarts and upgrades.</summary>
public sealed class EngineTlsTests
{
    private static readonly UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task A_pre_TLS_data_directory_keeps_its_tokens_and_gains_a_CA_kept_across_restarts_with_private_keys()
    {
        using var dir = new TempDirectory();
        var admin = new string('a', 64);
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "admin.token"), admin + "\n");
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "agent.token"), new string('b', 64) + "\n");
        var options = Options(dir.Path);

        string caBefore, serverBefore;
        await using (var first = await EngineHost.StartAsync(options))
        {
            Assert.Equal(admin, first.Tokens.Admin);
            Assert.Equal(Uri.UriSchemeHttps, first.BaseUrl.Scheme);
            caBefore = await File.ReadAllTextAsync(Path.Combine(dir.Path, TlsFiles.CaCertificate));
            serverBefore = await File.ReadAllTextAsync(Path.Combine(dir.Path, TlsFiles.ServerCertificate));
            foreach (var secret in new[] { TlsFiles.CaKey, TlsFiles.ServerKey, TlsFiles.Kubeconfig, TlsFiles.JoinToken })
            {
                Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(Path.Combine(dir.Path, secret)) == Private, secret + " must be 0600");
            }
        }

        await using var second = await EngineHost.StartAsync(options);
        Assert.Equal(admin, second.Tokens.Admin);
        Assert.Equal(caBefore, await File.ReadAllTextAsync(Path.Combine(dir.Path, TlsFiles.CaCertificate)));
        Assert.Equal(serverBefore, await File.ReadAllTextAsync(Path.Combine(dir.Path, TlsFiles.ServerCertificate)));
        using var client = new GitOrchClient(second.BaseUrl, admin, EngineCa.FromPemFile(Path.Combine(dir.Path, "ca.crt")));
        Assert.NotEmpty((await client.ListAsync<Namespace>()).Items);
    }

    [Fact]
    public async Task A_new_tls_san_reissues_the_serving_certificate_under_the_same_CA()
    {
        using var dir = new TempDirectory();
        string fingerprint;
        await using (var first = await EngineHost.StartAsync(Options(dir.Path)))
        {
            fingerprint = first.Ca.Fingerprint;
        }

        var serverBefore = await File.ReadAllTextAsync(Path.Combine(dir.Path, TlsFiles.ServerCertificate));
        var options = Options(dir.Path);
        options.TlsSubjectAlternativeNames.Add("gitorch.example");
        options.TlsSubjectAlternativeNames.Add("10.9.8.7");
        await using var second = await EngineHost.StartAsync(options);

        Assert.Equal(fingerprint, second.Ca.Fingerprint);
        Assert.NotEqual(serverBefore, await File.ReadAllTextAsync(Path.Combine(dir.Path, TlsFiles.ServerCertificate)));
        using var served = PemCertificate.Load(Path.Combine(dir.Path, TlsFiles.ServerCertificate));
        var names = SubjectAltNames.Of(served);
        Assert.Contains("gitorch.example", names.DnsNames);
        Assert.Contains("localhost", names.DnsNames);
        Assert.Contains(IPAddress.Parse("10.9.8.7"), names.Addresses);
        Assert.Contains(IPAddress.Loopback, names.Addresses);
    }

    [Fact]
    public async Task The_kubeconfig_names_the_bound_server_the_CA_and_the_admin_token()
    {
        await using var engine = await TestEngine.StartAsync();
        var text = await File.ReadAllTextAsync(engine.KubeconfigPath);

        Assert.Contains($"server: \"{engine.BaseUrl.ToString().TrimEnd('/')}\"", text, StringComparison.Ordinal);
        Assert.Contains($"token: \"{engine.AdminToken}\"", text, StringComparison.Ordinal);
        Assert.Contains("current-context: gitorch", text, StringComparison.Ordinal);
        var caData = text.Split('\n').Single(l => l.Contains("certificate-authority-data", StringComparison.Ordinal)).Split('"')[1];
        Assert.Equal(await File.ReadAllTextAsync(engine.CaFile), Encoding.UTF8.GetString(Convert.FromBase64String(caData)));
        Assert.Equal(await File.ReadAllTextAsync(engine.KubeconfigPath), text);
    }

    [Fact]
    public async Task The_join_token_pins_the_CA_and_carries_the_agent_token()
    {
        await using var engine = await TestEngine.StartAsync();
        var join = JoinToken.Parse(await File.ReadAllTextAsync(Path.Combine(engine.DataDir, TlsFiles.JoinToken)), "join.token");

        Assert.Equal(engine.AgentToken, join.Token);
        Assert.Equal(engine.Ca.Fingerprint, join.CaFingerprint);
        Assert.Equal(engine.JoinToken, JoinToken.Format(engine.Ca.Fingerprint, engine.AgentToken));
    }

    [Fact]
    public async Task Cacerts_is_anonymous_and_serves_the_CA_and_plain_HTTP_on_the_HTTPS_port_fails()
    {
        await using var engine = await TestEngine.StartAsync();
        using var anonymous = engine.CreateHttpClient(null);
        Assert.Equal(await File.ReadAllTextAsync(engine.CaFile), await anonymous.GetStringAsync("/cacerts"));

        using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var url = new UriBuilder(engine.BaseUrl) { Scheme = "http" }.Uri;
        await Assert.ThrowsAsync<HttpRequestException>(() => plain.GetAsync(new Uri(url, "/api/v1/namespaces")));
    }

    private static EngineOptions Options(string dir) => new() { DataDir = dir, Listen = "127.0.0.1:0", StartComponents = false, LogLevel = LogLevel.Warning };
}
