using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using GitOrch.Api.Model;
using GitOrch.Engine.Runtime;
using GitOrch.Engine.Sources;
using GitOrch.Engine.Sources.Pipeline;
using GitOrch.Engine.Sources.Fetch;
using GitOrch.Engine.Sources.Http;
using GitOrch.Engine.Sources.Webhooks;
using GitOrch.Engine.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOrch.Bench.Scenarios;

/// <summary>
/// The source controller on a repository of 1,000 manifests (Deployments, Services, ConfigMaps, one per file)
/// served by a real <c>git daemon</c>: first apply, no-op reconcile of the same commit, a one-file change from
/// webhook to updated object (through Kestrel and the running controller), and LibGit2Sharp's fetch against
/// the git CLI's on the same repository.
/// </summary>
public static class GitOpsScenario
{
    private const int Objects = 1000;
    private const string HookSecret = "bench-hook";

    public static async Task<BenchResult> RunAsync(string[] args)
    {
        var root = Path.Combine(Path.GetTempPath(), "gitorch-bench-gitops-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        Process? daemon = null;
        try
        {
            var bare = Path.Combine(root, "repo.git");
            var work = Path.Combine(root, "work");
            Git(root, "init", "-q", "--bare", "-b", "main", bare);
            Git(root, "init", "-q", "-b", "main", work);
            for (var i = 0; i < Objects; i++)
            {
                File.WriteAllText(Path.Combine(work, $"obj-{i:D4}.yaml"), Manifest(i, "v1"));
            }

            Git(work, "add", "-A");
            Git(work, "commit", "-q", "-m", "1000 manifests");
            Git(work, "push", "-q", bare, "HEAD:refs/heads/main");

            var port = FreePort();
            daemon = StartDaemon(root, port);
            await WaitListening(port);
            var url = $"git://127.0.0.1:{port}/repo.git";

            var fetchRatio = await FetchRatio(root, url);
            var dataDir = Path.Combine(root, "data");
            using var store = ObjectStore.Open(dataDir);
            var options = new SourceOptions { DataDir = dataDir, DefaultTimeout = TimeSpan.FromSeconds(60) };
            await using var informers = new SharedInformers(store, NullLoggerFactory.Instance);
            var reconciler = new SourceReconciler(store, informers, options);
            using var repos = reconciler.Repositories;
            using var phases = new PhaseLog();
            await store.CreateAsync(new Secret { Metadata = new ObjectMeta { Name = "hook", Namespace = "default" }, StringData = new() { ["token"] = HookSecret } });
            await store.CreateAsync(new GitSource
            {
                Metadata = new ObjectMeta { Name = "bench", Namespace = "default" },
                Spec = new GitSourceSpec { Url = url, Interval = "1h", Webhook = new GitSourceWebhook { SecretRef = new LocalObjectReference { Name = "hook" } } },
            });

            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            await reconciler.ReconcileAsync(new ObjectKey("default", "bench"), CancellationToken.None);
            var firstApply = sw.Elapsed.TotalSeconds;
            var firstApplyCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;

            // The machine may be shared: CPU time next to wall time tells contention from cost.
            Console.WriteLine($"first apply phases (ms): {phases.Take()}; process CPU {firstApplyCpu:0.000} s");
            var applied = store.Get<GitSource>("default", "bench")!.Status!.Inventory?.Count ?? 0;
            if (applied != Objects)
            {
                throw new InvalidOperationException($"first apply: {applied} objects in inventory, expected {Objects}: " + store.Get<GitSource>("default", "bench")!.Status!.Conditions?.FirstOrDefault()?.Message);
            }

            var noops = new List<double>();
            for (var i = 0; i < 20; i++)
            {
                var revision = store.Revision;
                sw.Restart();
                await reconciler.ReconcileAsync(new ObjectKey("default", "bench"), CancellationToken.None);
                noops.Add(sw.Elapsed.TotalMilliseconds);
                if (i >= 18)
                {
                    Console.WriteLine("no-op phases (ms): " + phases.Take());
                }

                phases.Take();

                if (store.Revision != revision)
                {
                    throw new InvalidOperationException("no-op reconcile wrote to the store");
                }
            }

            var changes = await WebhookChanges(new WebhookBench(store, informers, reconciler, options, phases), work, bare);

            var noopMs = Stats.Percentile(noops, 50);
            var changeMs = Stats.Percentile(changes, 50);
            Console.WriteLine($"{"measure",-40} {"value",10}");
            Console.WriteLine($"{"first apply of 1,000 objects (s)",-40} {firstApply,10:0.000}");
            Console.WriteLine($"{"no-op reconcile p50 (ms)",-40} {noopMs,10:0.0}");
            Console.WriteLine($"{"no-op reconcile p90 (ms)",-40} {Stats.Percentile(noops, 90),10:0.0}");
            Console.WriteLine($"{"webhook -> updated object p50 (ms)",-40} {changeMs,10:0.0}");
            Console.WriteLine($"{"webhook -> updated object max (ms)",-40} {changes.Max(),10:0.0}");
            Console.WriteLine($"{"fetch time libgit2 / git CLI",-40} {fetchRatio,10:0.00}");
            return new BenchResult("gitops")
                .Add("first_apply_s", Math.Round(firstApply, 3))
                .Add("noop_ms", Math.Round(noopMs, 1))
                .Add("change_ms", Math.Round(changeMs, 1))
                .Add("fetch_ratio_vs_git", Math.Round(fetchRatio, 2));
        }
        finally
        {
            if (daemon is { HasExited: false })
            {
                daemon.Kill(true);
                daemon.WaitForExit(5000);
            }

            daemon?.Dispose();
            try
            {
                Directory.Delete(root, true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Five one-file changes, each pushed, then timed from the signed webhook POST to the updated object.</summary>
    private static async Task<List<double>> WebhookChanges(WebhookBench bench, string work, string bare)
    {
        var (store, informers, reconciler, options, phases) = bench;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton<IObjectStore>(store);
        builder.Services.AddSingleton(informers);
        builder.Services.AddSingleton<IHostedService>(informers);
        builder.Services.AddSingleton(reconciler);
        builder.Services.AddReconciler<SourceReconciler>(options.Controller());
        await using var app = builder.Build();
        app.MapGitOrchSources();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        var body = Encoding.UTF8.GetBytes("{\"ref\":\"refs/heads/main\"}");

        // Let the controller's startup reconcile (a no-op) finish before timing.
        await Task.Delay(500);
        phases.Take();
        var times = new List<double>();
        for (var round = 0; round < 5; round++)
        {
            var value = "change-" + round;
            File.WriteAllText(Path.Combine(work, "obj-0002.yaml"), Manifest(2, value));
            Git(work, "commit", "-q", "-am", "change " + round);
            Git(work, "push", "-q", bare, "HEAD:refs/heads/main");
            using var watch = store.Watch(ResourceKinds.ConfigMap, "default", store.Revision);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/hooks/git/default/bench") { Content = new ByteArrayContent(body) };
            request.Headers.Add(WebhookVerifier.GitHubHeader, WebhookVerifier.Sign(body, HookSecret));
            var sw = Stopwatch.StartNew();
            var response = await http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException("webhook answered " + response.StatusCode);
            }

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (true)
            {
                var ev = await watch.Events.ReadAsync(deadline.Token);
                if (ev.Object.Name == "cm-0002" && ((ConfigMap)ev.Object.Shared).Data?["value"] == value)
                {
                    break;
                }
            }

            times.Add(sw.Elapsed.TotalMilliseconds);
            Console.WriteLine($"change {round}: {sw.Elapsed.TotalMilliseconds:0.0} ms; phases (ms): {phases.Take()}");
        }

        await app.StopAsync();
        return times;
    }

    private sealed record WebhookBench(ObjectStore Store, SharedInformers Informers, SourceReconciler Reconciler, SourceOptions Options, PhaseLog Phases);

    /// <summary>Collects the source controller's phase histogram (<see cref="SourceMetrics.PhaseSeconds"/>) as "fetch=3.1 load=12.0 ..." in ms.</summary>
    private sealed class PhaseLog : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly StringBuilder _text = new();

        public PhaseLog()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == SourceMetrics.MeterName && instrument.Name == SourceMetrics.PhaseSeconds)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "phase")
                    {
                        lock (_text)
                        {
                            _text.Append(tag.Value).Append('=').Append((seconds * 1000).ToString("0.0", CultureInfo.InvariantCulture)).Append(' ');
                        }
                    }
                }
            });
            _listener.Start();
        }

        /// <summary>The phases recorded since the last call.</summary>
        public string Take()
        {
            lock (_text)
            {
                var text = _text.ToString();
                _text.Clear();
                return text;
            }
        }

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>A fresh fetch of the branch into an empty bare repository: LibGit2Sharp's time over the git CLI's (best of 3 each).</summary>
    private static async Task<double> FetchRatio(string root, string url)
    {
        var lib = new List<double>();
        var cli = new List<double>();
        var fetcher = new SourceFetcher();
        for (var i = 0; i < 3; i++)
        {
            var a = Path.Combine(root, "fetch-lib-" + i);
            using (var cache = new SourceRepository(a))
            {
                var sw = Stopwatch.StartNew();
                await fetcher.FetchAsync(cache, new GitSourceSpec { Url = url, Ref = new GitSourceRef { Branch = "main" } }, null, TimeSpan.FromSeconds(60), CancellationToken.None);
                lib.Add(sw.Elapsed.TotalMilliseconds);
            }

            var b = Path.Combine(root, "fetch-cli-" + i);
            Git(root, "init", "-q", "--bare", b);
            var sw2 = Stopwatch.StartNew();
            Git(b, "fetch", "-q", "--no-tags", url, "+refs/heads/main:refs/heads/main");
            cli.Add(sw2.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine($"fetch libgit2 best {lib.Min():0.0} ms, git CLI best {cli.Min():0.0} ms");
        return lib.Min() / cli.Min();
    }

    private static string Manifest(int i, string value) => (i % 3) switch
    {
        0 => $"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-{i:D4}\n  labels:\n    app: web-{i:D4}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web-{i:D4}\n  template:\n    metadata:\n      labels:\n        app: web-{i:D4}\n    spec:\n      containers:\n      - name: main\n        image: busybox:1.36\n        args: [\"sleep\", \"3600\"]\n        ports:\n        - containerPort: 8080\n        resources:\n          requests:\n            cpu: 10m\n            memory: 16Mi\n",
        1 => $"apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-{i:D4}\nspec:\n  selector:\n    app: web-{i - 1:D4}\n  ports:\n  - port: 80\n    targetPort: 8080\n",
        _ => $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i:D4}\ndata:\n  value: \"{value}\"\n  other: \"static\"\n",
    };

    private static void Git(string dir, params string[] args) => BenchRepo.Git(dir, args);

    private static Process StartDaemon(string basePath, int port)
    {
        var psi = new ProcessStartInfo("git") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "daemon", "--reuseaddr", "--export-all", $"--base-path={basePath}", "--listen=127.0.0.1", $"--port={port}", basePath })
        {
            psi.ArgumentList.Add(a);
        }

        var p = Process.Start(psi)!;
        p.BeginErrorReadLine();
        p.BeginOutputReadLine();
        return p;
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private static async Task WaitListening(int port)
    {
        for (var i = 0; i < 500; i++)
        {
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(20);
            }
        }

        throw new TimeoutException("git daemon did not start");
    }
}
