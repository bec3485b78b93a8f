using System.Diagnostics;
using System.Net;
using System.Text;
using GitOrch.Api.Client;
using GitOrch.Api.Model;
using GitOrch.Engine.Sources.Webhooks;

namespace GitOrch.Bench.Scenarios;

/// <summary>
/// The whole GitOps path on one machine, against Docker: a commit adding a 50-replica Deployment of the busybox
/// test image is pushed, the GitSource's webhook is POSTed (signed as GitHub signs it), and the clock runs until
/// all 50 Pods are Running with their containers up. The Engine is the real <c>gitorch server --with-agent</c>
/// process (the single-machine setup: Engine and its local agent in one process). Compared with
/// <c>docker-compose up -d --scale</c> of the same 50 containers (host networking, init, same command) in the same
/// run: once before and once after GitOrch, averaged, since the machine may be shared. Needs scripts/setup.sh.
/// </summary>
public static class E2eScenario
{
    private const int Replicas = 50;
    private const string Image = "gitorch-test/busybox:latest";
    private const string EngineIP = "127.0.5.10";
    private const string HookSecret = "bench-e2e-hook";

    public static async Task<BenchResult> RunAsync(string[] args)
    {
        var root = Path.Combine(Path.GetTempPath(), "gitorch-bench-e2e-" + Guid.NewGuid().ToString("N"));
        var nodeName = "bench-e2e-" + Environment.ProcessId;
        var compose = new List<double> { await ComposeRun.UpAsync(Image, Replicas) };
        BenchProcess? engine = null;
        try
        {
            var repo = BenchRepo.Create(Path.Combine(root, "git"));
            repo.Write("README.md", "bench\n").CommitAndPush("empty");
            var url = new Uri($"https://{EngineIP}:{BenchProcess.FreePort(EngineIP)}");
            var data = Path.Combine(root, "data");
            engine = BenchProcess.Start(BenchProcess.Executable(), null, "server", "--data-dir", data, "--listen", $"{url.Host}:{url.Port}", "--with-agent", "--node-name", nodeName, "--log-level", "Warning");
            await engine.WaitReadyAsync(url, TimeSpan.FromSeconds(60));
            using var client = BenchTls.Client(url, data);
            await engine.WaitAsync(async () => (await client.TryGetAsync<Node>(null, nodeName))?.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true, TimeSpan.FromSeconds(60), "Node Ready", 50);

            await client.CreateAsync(new Secret { Metadata = new ObjectMeta { Name = "hook", Namespace = "default" }, StringData = new() { ["token"] = HookSecret } });
            await client.CreateAsync(new GitSource
            {
                Metadata = new ObjectMeta { Name = "e2e", Namespace = "default" },
                Spec = new GitSourceSpec { Url = repo.FileUrl, Interval = "1h", Webhook = new GitSourceWebhook { SecretRef = new LocalObjectReference { Name = "hook" } } },
            });
            await engine.WaitAsync(async () => (await client.GetAsync<GitSource>("default", "e2e")).Status?.LastAppliedCommit != null, TimeSpan.FromSeconds(60), "first commit applied", 50);

            repo.Write("app/deployment.yaml", Deployment()).CommitAndPush("50 sleepers");
            var body = Encoding.UTF8.GetBytes("{\"ref\":\"refs/heads/main\"}");
            using var http = BenchTls.Http(url, BenchTls.Ca(data));
            using var request = new HttpRequestMessage(HttpMethod.Post, "/hooks/git/default/e2e") { Content = new ByteArrayContent(body) };
            request.Headers.Add(WebhookVerifier.GitHubHeader, WebhookVerifier.Sign(body, HookSecret));
            var sw = Stopwatch.StartNew();
            var webhookAt = DateTimeOffset.UtcNow;
            using (var response = await http.SendAsync(request))
            {
                if (response.StatusCode != HttpStatusCode.Accepted)
                {
                    throw new InvalidOperationException("webhook answered " + response.StatusCode);
                }
            }

            double applied = 0;
            await engine.WaitAsync(async () =>
            {
                var pods = await client.ListAsync<Pod>("default", "app=e2e-sleeper");
                if (applied == 0 && pods.Items.Count > 0)
                {
                    applied = sw.Elapsed.TotalSeconds;
                }

                return pods.Items.Count(p => p.Status?.Phase == "Running" && p.Status.ContainerStatuses?.All(c => c.State?.Running != null) == true) >= Replicas;
            }, TimeSpan.FromMinutes(5), $"{Replicas} Pods Running", 50);
            var gitorch = sw.Elapsed.TotalSeconds;
            Console.WriteLine(await BenchDocker.TimelineAsync(nodeName, webhookAt));

            await client.DeleteAsync<Deployment>("default", "e2e-sleeper");
            await engine.DisposeAsync();
            engine = null;
            await BenchDocker.RemoveNodeContainersAsync(nodeName);
            compose.Add(await ComposeRun.UpAsync(Image, Replicas));

            var composeMean = compose.Average();
            Console.WriteLine($"{"measure",-46} {"value",10}");
            Console.WriteLine($"{"webhook -> first Pod exists (s)",-46} {applied,10:0.00}");
            Console.WriteLine($"{"webhook -> " + Replicas + " Pods Running (s)",-46} {gitorch,10:0.00}");
            Console.WriteLine($"{"docker-compose up -d --scale " + Replicas + " (s, before/after)",-46} {compose[0],10:0.00} / {compose[1]:0.00}");
            return new BenchResult("e2e")
                .Add("gitorch_s", Math.Round(gitorch, 2))
                .Add("compose_s", Math.Round(composeMean, 2))
                .Add("ratio", Math.Round(gitorch / composeMean, 2));
        }
        finally
        {
            if (engine != null)
            {
                await engine.DisposeAsync();
            }

            await BenchDocker.RemoveNodeContainersAsync(nodeName);
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string Deployment() => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: e2e-sleeper
          namespace: default
        spec:
          replicas: {Replicas}
          selector:
            matchLabels:
              app: e2e-sleeper
          template:
            metadata:
              labels:
                app: e2e-sleeper
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: main
                image: {Image}
                imagePullPolicy: IfNotPresent
                command: ["sleep", "3600"]
        """;
}
