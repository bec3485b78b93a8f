using GitOrch.Tests.Infrastructure.EndToEnd;
using Xunit;

namespace GitOrch.Tests.Infrastructure.Kubectl;

/// <summary>
/// One <c>gitorch server --with-agent</c> process (HTTPS, its own CA and kubeconfig.yaml) for a kubectl test class,
/// on a node address of its own. Dispose stops it and removes every container of its node.
/// </summary>
public sealed class KubectlEngine : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("gitorch-kubectl");

    public EngineProcess Engine { get; private set; } = null!;

    public string NodeName { get; } = DockerTestEnvironment.NewTestId("kubectl");

    /// <summary>
    /// Whether the Engine serves <c>/openapi/v2</c>. Both kubectls validate manifests against it on create/apply and
    /// refuse when it is missing, so until it is served their creates pass <c>--validate=false</c>.
    /// </summary>
    public bool ServesOpenApi { get; private set; }

    public Kubectl For(string flavour) => Kubectl.For(flavour, Engine.KubeconfigPath);

    /// <summary>
    /// <c>create -f FILE</c>, with <c>--validate=false</c> while the Engine serves no OpenAPI, and always for kubectl
    /// 1.20: it validates only against the protobuf form of <c>/openapi/v2</c>, which GitOrch does not serve (the
    /// current kubectl validates on the server through <c>fieldValidation</c>).
    /// </summary>
    public string[] CreateArgs(string flavour, string file) => ServesOpenApi && flavour != "1.20" ? ["create", "-f", file] : ["create", "-f", file, "--validate=false"];

    public async Task InitializeAsync()
    {
        Engine = await EngineProcess.StartAsync(Path.Combine(_dir.Path, "data"), NodeAddresses.Next(), NodeName, TimeSpan.FromSeconds(60));
        using var http = Engine.CreateHttpClient();
        using var openApi = await http.GetAsync("/openapi/v2");
        ServesOpenApi = openApi.IsSuccessStatusCode;
    }

    public async Task DisposeAsync()
    {
        Engine?.Dispose();
        await NodeContainers.RemoveAllAsync(NodeName);
        _dir.Dispose();
    }
}
