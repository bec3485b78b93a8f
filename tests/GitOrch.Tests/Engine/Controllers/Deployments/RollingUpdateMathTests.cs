using GitOrch.Api.Model;
using GitOrch.Engine.Controllers.Deployments;
using GitOrch.Engine.Runtime;
using GitOrch.Engine.Store;
using GitOrch.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace GitOrch.Tests.Engine.Controllers.Deployments;

public sealed class RollingUpdateMathTests : IDisposable
{
    private readonly TempDirectory _dir = new("gitorch-rolling");
    private readonly ObjectStore _store;
    private readonly Informer<Pod> _pods;

    public RollingUpdateMathTests()
    {
        _store = ObjectStore.Open(_dir.Path);
        _pods = new SharedInformers(_store, NullLoggerFactory.Instance).Get<Pod>();
    }

    [Theory]
    // Kubernetes' defaults: 25% surge rounded up, 25% unavailable rounded down
    [InlineData(4, null, null, 1, 1)]
    [InlineData(10, null, null, 3, 2)]
    [InlineData(1, null, null, 1, 0)]
    [InlineData(3, "50%", "50%", 2, 1)]
    [InlineData(10, "0", "3", 0, 3)]
    [InlineData(10, "5", "0", 5, 0)]
    [InlineData(10, "100%", "100%", 10, 10)]
    // unavailable never exceeds the replicas; a negative surge counts as none
    [InlineData(3, "1", "7", 1, 3)]
    [InlineData(3, "-2", "1", 0, 1)]
    // neither may move: one Pod may be unavailable so the rollout progresses
    [InlineData(5, "0", "0", 0, 1)]
    [InlineData(1, "0%", "0%", 0, 1)]
    public void Limits_follow_Kubernetes_rounding(int replicas, string? maxSurge, string? maxUnavailable, int surge, int unavailable)
    {
        var d = new Deployment
        {
            Metadata = new ObjectMeta { Name = "web", Namespace = "default" },
            Spec = new DeploymentSpec
            {
                Replicas = replicas,
                Strategy = maxSurge == null && maxUnavailable == null ? null : new DeploymentStrategy
                {
                    RollingUpdate = new RollingUpdateDeployment { MaxSurge = Parse(maxSurge), MaxUnavailable = Parse(maxUnavailable) },
                },
            },
        };

        Assert.Equal((surge, unavailable), RollingUpdateMath.Limits(d));
    }

    [Theory]
    // replicas, maxSurge, new RS spec (-1: none yet), old RS specs, expected new spec
    [InlineData(4, 1, -1, new[] { 4 }, 1)]
    [InlineData(4, 1, 1, new[] { 4 }, 1)]
    [InlineData(4, 1, 1, new[] { 3 }, 2)]
    [InlineData(4, 2, 0, new[] { 4 }, 2)]
    [InlineData(4, 0, 0, new[] { 4 }, 0)]
    [InlineData(4, 10, 0, new[] { 4 }, 4)]
    [InlineData(4, 1, 4, new[] { 2 }, 4)]
    [InlineData(4, 1, 6, new int[0], 4)]
    [InlineData(4, 1, 2, new[] { 1, 1 }, 3)]
    public void New_replica_set_grows_within_the_surge(int replicas, int maxSurge, int newSpec, int[] oldSpecs, int expected)
    {
        var old = oldSpecs.Select((s, i) => View("old-" + i, s, revision: i + 1)).ToList();
        var newRs = newSpec < 0 ? null : View("new", newSpec, revision: 99);
        var all = newRs == null ? old : old.Append(newRs).ToList();

        Assert.Equal(expected, RollingUpdateMath.NewReplicas(replicas, maxSurge, newRs, all));
    }

    [Fact]
    public void Old_replica_sets_without_available_pods_scale_to_zero_at_once_oldest_first()
    {
        var old = new List<ReplicaSetView> { View("older", 2, revision: 1), View("old", 3, revision: 2) };

        var result = RollingUpdateMath.ScaleDownOld(replicas: 5, maxUnavailable: 1, View("new", 2, revision: 3), old);

        Assert.Equal(0, result["older"]);
        Assert.Equal(0, result["old"]);
    }

    [Fact]
    public void Old_replica_sets_already_at_zero_are_left_alone()
    {
        var result = RollingUpdateMath.ScaleDownOld(replicas: 3, maxUnavailable: 1, View("new", 3, revision: 2), [View("old", 0, revision: 1)]);

        Assert.Empty(result);
    }

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    private static IntOrString? Parse(string? v)
    {
        if (v == null)
        {
            return null;
        }

        return int.TryParse(v, out var n) ? new IntOrString(n) : new IntOrString(v);
    }

    private ReplicaSetView View(string name, int spec, long revision) => new(
        new ReplicaSet
        {
            Metadata = new ObjectMeta
            {
                Name = name,
                Namespace = "default",
                Uid = "uid-" + name,
                Annotations = new() { [DeploymentAnnotations.Revision] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            },
            Spec = new ReplicaSetSpec { Replicas = spec },
        },
        _pods,
        minReadySeconds: 0,
        DateTimeOffset.UnixEpoch);
}
