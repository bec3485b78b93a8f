using GitOrch.Engine.Scheduling.Filters;
using GitOrch.Engine.Scheduling.Scoring;

namespace GitOrch.Engine.Scheduling;

/// <summary>
/// Places one Pod: walks the nodes round-robin from where the last Pod stopped, runs the filter chain (cheapest first, a
/// node stops at its first failing link), stops once enough feasible nodes are found, then scores those and takes the
/// best. Counts per reason why nodes were ruled out, for the FailedScheduling message. Not thread-safe: the scheduler
/// calls it from its one scheduling loop under the cache lock.
/// </summary>
public sealed class SchedulingFramework
{
    private readonly List<NodeInfo> _feasible = new();
    private readonly List<IFilter> _active = new();
    private double[] _totals = new double[64];
    private double[] _scratch = new double[64];
    private readonly List<string> _reasons = new();
    private readonly Dictionary<string, int> _reasonCounts = new(StringComparer.Ordinal);
    private readonly SchedulerOptions _options;
    private int _nextStart;

    public SchedulingFramework(SchedulerOptions options, IReadOnlyList<IFilter>? filters = null, IReadOnlyList<IScorer>? scorers = null)
    {
        _options = options;
        Filters = filters ?? DefaultFilters();
        Scorers = scorers ?? DefaultScorers();
    }

    public IReadOnlyList<IFilter> Filters { get; }

    public IReadOnlyList<IScorer> Scorers { get; }

    /// <summary>The chain, cheapest first: booleans, then integer sums, then label maps, then walks over the node's Pods and ports.</summary>
    public static IReadOnlyList<IFilter> DefaultFilters() => new IFilter[]
    {
        new NodeReadyFilter(),
        new PodCountFilter(),
        new ResourcesFilter(),
        new NodeSelectorFilter(),
        new NodeAffinityFilter(),
        new TaintTolerationFilter(),
        new PodAntiAffinityFilter(),
        new HostPortsFilter(),
    };

    public static IReadOnlyList<IScorer> DefaultScorers() => new IScorer[]
    {
        new LeastAllocatedScorer(),
        new OwnerSpreadScorer(),
        new PreferredNodeAffinityScorer(),
    };

    public int FeasibleNodesToFind(int nodes)
    {
        if (nodes <= _options.MinFeasibleNodesToFind)
        {
            return nodes;
        }

        var pct = _options.PercentageOfNodesToScore;
        if (pct <= 0)
        {
            pct = Math.Max(5, 50 - (nodes / 125));
        }

        return Math.Min(nodes, Math.Max(_options.MinFeasibleNodesToFind, nodes * pct / 100));
    }

    /// <summary>Chooses a node, or returns null with <paramref name="error"/> saying why none fits.</summary>
    public NodeInfo? Schedule(PodInfo pod, IReadOnlyList<NodeInfo> nodes, out FitError? error)
    {
        error = null;
        var n = nodes.Count;
        if (n == 0)
        {
            error = new FitError(0, new Dictionary<string, int>());
            return null;
        }

        _feasible.Clear();
        _reasonCounts.Clear();
        _active.Clear();
        foreach (var f in Filters)
        {
            if (f.AppliesTo(pod))
            {
                _active.Add(f);
            }
        }

        var want = FeasibleNodesToFind(n);
        var start = _nextStart % n;
        var visited = 0;
        for (var i = 0; i < n && _feasible.Count < want; i++)
        {
            var node = nodes[(start + i) % n];
            visited++;
            _reasons.Clear();
            if (Fits(pod, node))
            {
                _feasible.Add(node);
                continue;
            }

            foreach (var r in _reasons)
            {
                _reasonCounts[r] = _reasonCounts.TryGetValue(r, out var c) ? c + 1 : 1;
            }
        }

        _nextStart = (start + visited) % n;
        if (_feasible.Count == 0)
        {
            error = new FitError(n, new Dictionary<string, int>(_reasonCounts, StringComparer.Ordinal));
            return null;
        }

        return _feasible.Count == 1 ? _feasible[0] : Best(pod);
    }

    private bool Fits(PodInfo pod, NodeInfo node)
    {
        foreach (var f in _active)
        {
            if (!f.Fits(pod, node, _reasons))
            {
                return false;
            }
        }

        return true;
    }

    private NodeInfo Best(PodInfo pod)
    {
        var count = _feasible.Count;
        if (_totals.Length < count)
        {
            _totals = new double[count * 2];
            _scratch = new double[count * 2];
        }

        var totals = _totals.AsSpan(0, count);
        var scratch = _scratch.AsSpan(0, count);
        totals.Clear();
        foreach (var s in Scorers)
        {
            if (!s.AppliesTo(pod))
            {
                continue;
            }

            s.Score(pod, _feasible, scratch);
            for (var i = 0; i < count; i++)
            {
                totals[i] += s.Weight * scratch[i];
            }
        }

        var best = 0;
        for (var i = 1; i < count; i++)
        {
            if (totals[i] > totals[best])
            {
                best = i;
            }
        }

        return _feasible[best];
    }
}
