using System.Text.Json;
using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Kubectl;
using Xunit;
using KubectlCli = GitOrch.Tests.Infrastructure.Kubectl.Kubectl;

namespace GitOrch.Tests.EndToEnd.Kubectl;

/// <summary>
/// kubectl as people run it: only <c>KUBECONFIG=&lt;data-dir&gt;/kubeconfig.yaml</c> (HTTPS, the Engine's CA, the admin
/// token), against a real Engine with its agent on Docker; every test for the current kubectl and for Debian's 1.20.
/// </summary>
[Trait("Requires", "Docker")]
[Trait("Requires", "Kubectl")]
public sealed class KubectlBasicsTests(KubectlEngine cluster) : IClassFixture<KubectlEngine>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static TheoryData<string> Kubectls => new() { KubectlCli.Current, KubectlCli.V120 };

    [Theory]
    [MemberData(nameof(Kubectls))]
    public async Task Get_pods_nodes_and_namespaces_work_with_only_the_kubeconfig(string flavour)
    {
        var kubectl = cluster.For(flavour);
        Assert.Contains("namespace/default", (await kubectl.RunAsync("get", "namespaces", "-o", "name")).ThrowOnError().Stdout, StringComparison.Ordinal);
        Assert.Contains("node/" + cluster.NodeName, (await kubectl.RunAsync("get", "nodes", "-o", "name")).ThrowOnError().Stdout, StringComparison.Ordinal);
        var pods = (await kubectl.RunAsync("get", "pods", "--all-namespaces", "-o", "json")).ThrowOnError();
        Assert.Equal("List", JsonDocument.Parse(pods.Stdout).RootElement.GetProperty("kind").GetString());
    }

    [Theory]
    [MemberData(nameof(Kubectls))]
    public async Task Create_f_get_o_json_and_delete_f_of_a_ConfigMap(string flavour)
    {
        var kubectl = cluster.For(flavour);
        var name = "kc-cm-" + flavour.Replace(".", "", StringComparison.Ordinal);
        var file = Manifest(name + ".yaml", $"""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {name}
            data:
              greeting: hello from kubectl {flavour}
            """);

        Assert.Contains($"configmap/{name} created", (await kubectl.RunAsync(cluster.CreateArgs(flavour, file))).ThrowOnError().Stdout, StringComparison.Ordinal);
        var json = JsonDocument.Parse((await kubectl.RunAsync("get", "configmap", name, "-o", "json")).ThrowOnError().Stdout).RootElement;
        Assert.Equal($"hello from kubectl {flavour}", json.GetProperty("data").GetProperty("greeting").GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("metadata").GetProperty("uid").GetString()));

        Assert.Contains($"configmap \"{name}\" deleted", (await kubectl.RunAsync("delete", "-f", file)).ThrowOnError().Stdout, StringComparison.Ordinal);
        using var client = cluster.Engine.CreateClient();
        Assert.Null(await client.TryGetAsync<ConfigMap>("default", name));
    }

    [Theory]
    [MemberData(nameof(Kubectls))]
    public async Task A_Deployment_from_create_f_runs_its_Pod_whose_logs_and_watch_kubectl_shows_then_delete_f_removes_it(string flavour)
    {
        var kubectl = cluster.For(flavour);
        var name = "kc-web-" + flavour.Replace(".", "", StringComparison.Ordinal);
        var file = Manifest(name + ".yaml", $"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {name}
            spec:
              replicas: 1
              selector:
                matchLabels: {"{"}app: {name}{"}"}
              template:
                metadata:
                  labels: {"{"}app: {name}{"}"}
                spec:
                  containers:
                  - name: main
                    image: gitorch-test/busybox:latest
                    imagePullPolicy: Never
                    command: ["sh", "-c", "echo hello-from-{name}; sleep 3600"]
            """);
        Assert.Contains($"deployment.apps/{name} created", (await kubectl.RunAsync(cluster.CreateArgs(flavour, file))).ThrowOnError().Stdout, StringComparison.Ordinal);

        // get -w, bounded: the watch prints the Deployment's Pod as it appears.
        var watched = await kubectl.StreamUntilAsync(text => text.Contains("pod/" + name, StringComparison.Ordinal), Deadline, "get", "pods", "-l", "app=" + name, "-w", "-o", "name");
        var pod = watched.Split('\n', StringSplitOptions.RemoveEmptyEntries).First(l => l.StartsWith("pod/" + name, StringComparison.Ordinal));

        var running = await Eventually.UntilAsync(
            async () => Phase(JsonDocument.Parse((await kubectl.RunAsync("get", pod, "-o", "json")).ThrowOnError().Stdout).RootElement),
            phase => phase == "Running", Deadline, $"{pod} Running");
        Assert.Equal("Running", running);
        await Eventually.UntilAsync(async () => (await kubectl.RunAsync("logs", pod)).Stdout, text => text.Contains("hello-from-" + name, StringComparison.Ordinal), Deadline, $"kubectl logs {pod}");

        Assert.Contains($"deployment.apps \"{name}\" deleted", (await kubectl.RunAsync("delete", "-f", file)).ThrowOnError().Stdout, StringComparison.Ordinal);
        await Eventually.UntilAsync(async () => (await kubectl.RunAsync("get", "pods", "-l", "app=" + name, "-o", "name")).Stdout, text => text.Trim().Length == 0, Deadline, $"the Pods of {name} gone");
    }

    /// <summary>status.phase, or null while the Pod has no status yet (GitOrch fills it when the agent reports).</summary>
    private static string? Phase(JsonElement pod)
        => pod.TryGetProperty("status", out var status) && status.TryGetProperty("phase", out var phase) ? phase.GetString() : null;

    private string Manifest(string fileName, string yaml)
    {
        var dir = Path.Combine(Path.GetDirectoryName(cluster.Engine.DataDir)!, "manifests");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, fileName);
        File.WriteAllText(path, yaml);
        return path;
    }
}
