using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GitOrch.Tests.Infrastructure.Etcd;

/// <summary>
/// A real etcd cluster of Debian's <c>/usr/bin/etcd</c> (installed by scripts/setup.sh): three members on free
/// loopback ports, each in its own temp directory (under /dev/shm when there is one, so fsync costs no disk), that a
/// test can SIGKILL, stop and restart. Disposing kills every member and deletes the directories.
/// The benchmarks compile this same file.
/// </summary>
public sealed class EtcdCluster : IDisposable
{
    public const string EtcdPath = "/usr/bin/etcd";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly object SharedGate = new();
    private static EtcdCluster? _shared;
    private readonly Member[] _members;
    private readonly string _root;

    private EtcdCluster(int size)
    {
        var baseDir = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        _root = Path.Combine(baseDir, "gitorch-etcd-" + Guid.NewGuid().ToString("N")[..8]);
        var ports = FreePorts(size * 2);
        _members = Enumerable.Range(0, size).Select(i => new Member("m" + i, ports[i * 2], ports[(i * 2) + 1], Path.Combine(_root, "m" + i))).ToArray();
        InitialCluster = string.Join(",", _members.Select(m => $"{m.Name}=http://127.0.0.1:{m.PeerPort}"));
        Token = "gitorch-" + Guid.NewGuid().ToString("N")[..8];
    }

    /// <summary>One cluster for the whole test run (tests isolate themselves by key prefix), started on first use.</summary>
    public static EtcdCluster Shared
    {
        get
        {
            lock (SharedGate)
            {
                if (_shared == null)
                {
                    _shared = StartAsync().GetAwaiter().GetResult();
                    AppDomain.CurrentDomain.ProcessExit += (_, _) => _shared.Dispose();
                }

                return _shared;
            }
        }
    }

    public string InitialCluster { get; }

    public string Token { get; }

    public int Size => _members.Length;

    /// <summary>Every member's client URL.</summary>
    public IReadOnlyList<Uri> Endpoints => _members.Select(m => m.ClientUrl).ToList();

    /// <summary>The <c>--datastore</c> value for an Engine: <c>etcd://127.0.0.1:p1,127.0.0.1:p2,...</c>.</summary>
    public string Datastore => "etcd://" + string.Join(",", _members.Select(m => m.ClientUrl.Authority));

    public static async Task<EtcdCluster> StartAsync(int size = 3)
    {
        if (!File.Exists(EtcdPath))
        {
            throw new InvalidOperationException($"{EtcdPath} is missing: run scripts/setup.sh (it installs Debian's etcd-server)");
        }

        var cluster = new EtcdCluster(size);
        try
        {
            foreach (var m in cluster._members)
            {
                cluster.Launch(m, "new");
            }

            await Task.WhenAll(cluster._members.Select(m => cluster.WaitHealthyAsync(m)));
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>SIGKILL: the member gets no chance to step down or flush.</summary>
    public void Kill(int index)
    {
        var p = _members[index].Process;
        if (p is { HasExited: false })
        {
            p.Kill();
            p.WaitForExit(5000);
        }
    }

    /// <summary>Starts a killed member again on its own data directory; it rejoins and catches up.</summary>
    public async Task RestartAsync(int index)
    {
        Kill(index);
        Launch(_members[index], "existing");
        await WaitHealthyAsync(_members[index]);
    }

    /// <summary>Every member SIGKILLed: no quorum, no answers.</summary>
    public void KillAll()
    {
        for (var i = 0; i < _members.Length; i++)
        {
            Kill(i);
        }
    }

    /// <summary>Starts every stopped member again at once (one alone has no quorum, so none would get healthy).</summary>
    public async Task RestartAllAsync()
    {
        var stopped = _members.Where(m => m.Process is not { HasExited: false }).ToList();
        foreach (var m in stopped)
        {
            Launch(m, "existing");
        }

        await Task.WhenAll(stopped.Select(WaitHealthyAsync));
    }

    public bool IsRunning(int index) => _members[index].Process is { HasExited: false };

    /// <summary>Client URL of one member, for checks that must ask a particular one.</summary>
    public Uri ClientUrl(int index) => _members[index].ClientUrl;

    public void Dispose()
    {
        for (var i = 0; i < _members.Length; i++)
        {
            Kill(i);
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Launch(Member m, string state)
    {
        Directory.CreateDirectory(m.DataDir);
        var psi = new ProcessStartInfo(EtcdPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--name", m.Name, "--data-dir", m.DataDir,
            "--listen-client-urls", m.ClientUrl.ToString().TrimEnd('/'), "--advertise-client-urls", m.ClientUrl.ToString().TrimEnd('/'),
            "--listen-peer-urls", $"http://127.0.0.1:{m.PeerPort}", "--initial-advertise-peer-urls", $"http://127.0.0.1:{m.PeerPort}",
            "--initial-cluster", InitialCluster, "--initial-cluster-state", state, "--initial-cluster-token", Token,
            "--heartbeat-interval", "50", "--election-timeout", "500", "--logger", "zap", "--log-level", "error",
            "--experimental-watch-progress-notify-interval", "1s",
        })
        {
            psi.ArgumentList.Add(arg);
        }

        var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + EtcdPath);
        p.OutputDataReceived += (_, e) => m.Log(e.Data);
        p.ErrorDataReceived += (_, e) => m.Log(e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        m.Process = p;
    }

    private async Task WaitHealthyAsync(Member m)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                var body = await http.GetStringAsync(new Uri(m.ClientUrl, "/health"));
                if (body.Contains("\"health\":\"true\"", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            if (m.Process is { HasExited: true } || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"etcd member {m.Name} ({m.ClientUrl}) did not become healthy within {StartTimeout.TotalSeconds}s; its log: {m.Tail()}");
            }

            await Task.Delay(50);
        }
    }

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }

    private sealed class Member
    {
        private readonly Queue<string> _log = new();

        public Member(string name, int clientPort, int peerPort, string dataDir)
        {
            Name = name;
            ClientUrl = new Uri($"http://127.0.0.1:{clientPort}");
            PeerPort = peerPort;
            DataDir = dataDir;
        }

        public string Name { get; }

        public Uri ClientUrl { get; }

        public int PeerPort { get; }

        public string DataDir { get; }

        public Process? Process { get; set; }

        public void Log(string? line)
        {
            if (line == null)
            {
                return;
            }

            lock (_log)
            {
                _log.Enqueue(line);
                while (_log.Count > 20)
                {
                    _log.Dequeue();
                }
            }
        }

        public string Tail()
        {
            lock (_log)
            {
                return string.Join("\n", _log);
            }
        }
    }
}
