using System.Threading.Channels;
using GitOrch.Agent.Proxy;
using Microsoft.Extensions.Logging;

namespace GitOrch.Agent.Network.Iptables;

/// <summary>
/// GitOrch's kube-proxy in iptables mode: follows Services and Endpoints (one shared watch) and, after each change,
/// rewrites this agent's nat chains in one <c>iptables-restore --noflush</c> batch (<see cref="IptablesRules"/>);
/// other chains of the table are never touched. Start hooks the chains into PREROUTING, OUTPUT and POSTROUTING once;
/// dispose unhooks and deletes them, so a stopped agent leaves no rule behind.
/// </summary>
public sealed class IptablesProxy : IAsyncDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(20);
    private readonly ServiceWatcher _watcher;
    private readonly string _prefix;
    private readonly string _nodeName;
    private readonly string? _clusterCidr;
    private readonly ILogger _logger;
    private readonly Channel<bool> _dirty = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    internal IptablesProxy(ServiceWatcher watcher, string prefix, string nodeName, string? clusterCidr, ILogger logger)
    {
        _watcher = watcher;
        _prefix = prefix;
        _nodeName = nodeName;
        _clusterCidr = clusterCidr;
        _logger = logger;
        _watcher.Changed += () => _dirty.Writer.TryWrite(true);
    }

    /// <summary>Completed syncs (tests wait on it).</summary>
    public int Syncs { get; private set; }

    /// <summary>The last batch written.</summary>
    public string? LastRules { get; private set; }

    /// <summary>Null when this host lets the agent write nat rules; else why not (the agent then runs the userspace proxy).</summary>
    public static async Task<string?> UnavailableReasonAsync(CancellationToken ct)
    {
        try
        {
            var r = await HostCommand.RunAsync("iptables-restore", ["--version"], null, CallTimeout, ct).ConfigureAwait(false);
            if (r.Code != 0)
            {
                return "iptables-restore is not installed or does not run: " + r.Output;
            }

            var nat = await HostCommand.RunAsync("iptables", ["-w", "-t", "nat", "-S", "OUTPUT"], null, CallTimeout, ct).ConfigureAwait(false);
            return nat.Code == 0 ? null : "the nat table cannot be read (no NAT in this kernel, or no CAP_NET_ADMIN): " + nat.Output;
        }
        catch (TimeoutException e)
        {
            return e.Message;
        }
    }

    public async Task StartAsync(CancellationToken ct)
    {
        await SyncAsync(ct).ConfigureAwait(false);
        foreach (var (chain, target) in Hooks())
        {
            var check = await Iptables(ct, ["-C", chain, .. HookRule(target)]).ConfigureAwait(false);
            if (check.Code != 0)
            {
                var insert = await Iptables(ct, ["-I", chain, "1", .. HookRule(target)]).ConfigureAwait(false);
                if (insert.Code != 0)
                {
                    throw new InvalidOperationException($"iptables could not hook {target} into nat {chain}: {insert.Output}");
                }
            }
        }

        _dirty.Writer.TryWrite(true);
        _loop = Task.Run(() => LoopAsync(_stop.Token), CancellationToken.None);
    }

    private IEnumerable<(string Chain, string Target)> Hooks()
    {
        yield return ("PREROUTING", IptablesRules.Services(_prefix));
        yield return ("OUTPUT", IptablesRules.Services(_prefix));
        yield return ("POSTROUTING", IptablesRules.Postrouting(_prefix));
    }

    private string[] HookRule(string target) => ["-t", "nat", "-m", "comment", "--comment", $"gitorch {_prefix} services", "-j", target];

    private async Task LoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await _dirty.Reader.ReadAsync(ct).ConfigureAwait(false);
                await SyncAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
            {
                // Rules stay as they were; the next change (or the retry below) writes the whole table again.
                NetworkLog.IptablesFailed(_logger, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
                _dirty.Writer.TryWrite(true);
            }
        }
    }

    private async Task SyncAsync(CancellationToken ct)
    {
        var (services, endpoints) = _watcher.Snapshot();
        var rules = IptablesRules.Build(new IptablesRules.Input
        {
            Prefix = _prefix,
            NodeName = _nodeName,
            Services = services,
            Endpoints = endpoints,
            ClusterCidr = _clusterCidr,
            ExistingChains = await OwnChainsAsync(ct).ConfigureAwait(false),
        });
        await RestoreAsync(rules, ct).ConfigureAwait(false);
        LastRules = rules;
        Syncs++;
    }

    private async Task RestoreAsync(string rules, CancellationToken ct)
    {
        var r = await HostCommand.RunAsync("iptables-restore", ["-w", "5", "--noflush"], rules, CallTimeout, ct).ConfigureAwait(false);
        if (r.Code != 0)
        {
            throw new InvalidOperationException($"iptables-restore refused the rules: {r.Output}");
        }
    }

    /// <summary>This agent's chains in the nat table now.</summary>
    private async Task<List<string>> OwnChainsAsync(CancellationToken ct)
    {
        var r = await HostCommand.RunAsync("iptables-save", ["-t", "nat"], null, CallTimeout, ct).ConfigureAwait(false);
        return r.Stdout.Split('\n').Where(l => l.StartsWith(":" + _prefix + "-", StringComparison.Ordinal)).Select(l => l[1..].Split(' ')[0]).ToList();
    }

    private Task<HostCommand.Result> Iptables(CancellationToken ct, string[] args)
        => HostCommand.RunAsync("iptables", ["-w", "5", .. args], null, CallTimeout, ct);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        // Unhook first, then flush and delete every chain of ours in one batch.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        foreach (var (chain, target) in Hooks())
        {
            while ((await Iptables(cts.Token, ["-D", chain, .. HookRule(target)]).ConfigureAwait(false)).Code == 0)
            {
            }
        }

        var chains = await OwnChainsAsync(cts.Token).ConfigureAwait(false);
        if (chains.Count > 0)
        {
            var batch = "*nat\n" + string.Concat(chains.Select(c => $":{c} - [0:0]\n")) + string.Concat(chains.Select(c => $"-X {c}\n")) + "COMMIT\n";
            await RestoreAsync(batch, cts.Token).ConfigureAwait(false);
        }

        _stop.Dispose();
    }
}
