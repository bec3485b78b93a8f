using GitOrch.Api.Model;
using GitOrch.Engine.Coordination;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Etcd;
using Xunit;

namespace GitOrch.Tests.Engine.Coordination;

/// <summary>Several Engines on one real three-member etcd: one leader, visible as a Lease, handed over without overlap.</summary>
[Collection("etcd-ha")]
public sealed class LeaderElectorTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task One_of_three_Engines_leads_and_every_Engine_serves_its_Lease()
    {
        await using var ha = await HaEngines.StartAsync(EtcdCluster.Shared, 3);
        var leader = await ha.LeaderAsync(Deadline);
        var identity = HaEngines.Elector(leader).Identity;
        foreach (var e in ha.Running)
        {
            var lease = await e.Client.GetAsync<Lease>("gitorch-system", "gitorch-controllers");
            Assert.Equal(identity, lease!.Spec!.HolderIdentity);
            Assert.Equal(6, lease.Spec.LeaseDurationSeconds);
        }

        // Every Engine took the first Engine's tokens from the datastore.
        Assert.All(ha.Running, e => Assert.Equal(ha.Engines[0]!.AdminToken, e.AdminToken));
    }

    [Fact]
    public async Task A_stopped_leader_hands_over_and_no_two_terms_overlap()
    {
        await using var ha = await HaEngines.StartAsync(EtcdCluster.Shared, 3);
        var first = await ha.LeaderAsync(Deadline);
        var firstTerms = HaEngines.Elector(first).Terms;
        await first.Client.CreateAsync(new ConfigMap { Metadata = new ObjectMeta { Name = "before", Namespace = "default" } });
        await ha.StopAsync(first);

        var second = await ha.LeaderAsync(Deadline);
        Assert.NotSame(first, second);
        var terms = firstTerms.Concat(ha.Running.SelectMany(e => HaEngines.Elector(e).Terms)).OrderBy(t => t.Started).ToList();
        AssertNoOverlap(terms);
        var lease = await second.Client.GetAsync<Lease>("gitorch-system", "gitorch-controllers");
        Assert.Equal(HaEngines.Elector(second).Identity, lease!.Spec!.HolderIdentity);
        Assert.True(lease.Spec.LeaseTransitions >= 1, "the hand-over counts as a transition");
    }

    /// <summary>A term ends (controllers stopped, last write made) before the next one starts, and terms only grow.</summary>
    internal static void AssertNoOverlap(IReadOnlyList<LeaderTerm> terms)
    {
        for (var i = 1; i < terms.Count; i++)
        {
            var (a, b) = (terms[i - 1], terms[i]);
            Assert.True(a.Stopped != null && a.Stopped <= b.Started, $"{a.Identity} term {a.Term} ({a.Started:O}..{a.Stopped:O}) overlaps {b.Identity} term {b.Term} from {b.Started:O}");
            Assert.True(a.LastWrite == null || a.LastWrite <= b.Started, $"{a.Identity} term {a.Term} wrote at {a.LastWrite:O}, after {b.Identity} took over at {b.Started:O}");
            Assert.True(b.Term >= a.Term, $"term went back from {a.Term} to {b.Term}");
        }
    }
}
