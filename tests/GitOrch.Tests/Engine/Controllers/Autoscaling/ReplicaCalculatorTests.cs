using GitOrch.Api.Model;
using GitOrch.Engine.Controllers.Autoscaling;
using GitOrch.Tests.Infrastructure.Autoscaling;
using Xunit;

namespace GitOrch.Tests.Engine.Controllers.Autoscaling;

/// <summary>
/// The replica calculator pinned to the numbers of the Kubernetes documentation (HPA concept page and walkthrough)
/// and of upstream's replica_calculator_test.go cases: the algorithm, the tolerance, and how unready Pods and
/// missing metrics are counted.
/// </summary>
public sealed class ReplicaCalculatorTests
{
    private readonly ReplicaCalculator _calculator = new();

    private static Pod[] ReadyPods(int n) => Enumerable.Range(0, n).Select(i => HpaPods.Ready("p" + i)).ToArray();

    [Theory]
    // Docs: "if the current metric value is 200m, and the desired value is 100m, the number of replicas will be doubled".
    [InlineData(3, 200, 100, 6)]
    // Docs: "If the current value is instead 50m, you'll halve the number of replicas" (ceil(3 x 0.5) = 2).
    [InlineData(4, 50, 100, 2)]
    // Docs: a ratio within the 0.1 tolerance of 1.0 skips scaling.
    [InlineData(3, 109, 100, 3)]
    [InlineData(3, 91, 100, 3)]
    [InlineData(3, 111, 100, 4)]
    public void AverageValue_target_scales_by_the_ratio_ceil_and_tolerance(int pods, long usageMilli, long targetMilli, int expected)
    {
        var all = ReadyPods(pods);
        var samples = HpaPods.Samples(all.Select(p => (p.Name, usageMilli)).ToArray());
        var result = _calculator.ForAverageValue(pods, targetMilli, "cpu", all, samples, HpaPods.Now);
        Assert.Equal(expected, result.Replicas);
        Assert.Equal(usageMilli, result.AverageMilli);
        Assert.Null(result.Utilization);
    }

    [Fact]
    public void Walkthrough_305_percent_of_request_at_a_50_percent_target_gives_7_replicas()
    {
        // The HPA walkthrough's php-apache: one Pod requesting 200m uses 610m (305 %), target 50 %: ceil(1 x 6.1) = 7.
        var pod = HpaPods.Ready("php-apache-0", cpuRequest: "200m");
        var result = _calculator.ForUtilization(1, 50, "cpu", [pod], HpaPods.Samples((pod.Name, 610)), HpaPods.Now);
        Assert.Equal(7, result.Replicas);
        Assert.Equal(305, result.Utilization);
    }

    [Fact]
    public void Scale_up_uses_the_average_utilization_of_ready_pods()
    {
        // Upstream TestReplicaCalcScaleUp: 300m, 500m, 700m of 1 core each at a 30 % target -> 50 % -> 5.
        var pods = ReadyPods(3);
        var result = _calculator.ForUtilization(3, 30, "cpu", pods, HpaPods.Samples(("p0", 300), ("p1", 500), ("p2", 700)), HpaPods.Now);
        Assert.Equal(5, result.Replicas);
        Assert.Equal(50, result.Utilization);
        Assert.Equal(500, result.AverageMilli);
    }

    [Fact]
    public void Scale_down_uses_the_integer_utilization()
    {
        // Upstream TestReplicaCalcScaleDown: 1400m of 5 cores = 28 % at a 50 % target -> ceil(5 x 0.56) = 3.
        var pods = ReadyPods(5);
        var result = _calculator.ForUtilization(5, 50, "cpu", pods, HpaPods.Samples(("p0", 100), ("p1", 300), ("p2", 500), ("p3", 250), ("p4", 250)), HpaPods.Now);
        Assert.Equal(3, result.Replicas);
        Assert.Equal(28, result.Utilization);
    }

    [Fact]
    public void Unready_pods_count_as_zero_on_scale_up()
    {
        // Upstream TestReplicaCalcScaleUpUnreadyLessScale: the unready Pod's 300m is dropped and counted as 0:
        // ready 60 % -> with the unready at 0, 40 % of 3 cores at 30 % -> ceil(3 x 1.33) = 4; status shows 60 %.
        Pod[] pods = [HpaPods.Unready("p0"), HpaPods.Ready("p1"), HpaPods.Ready("p2")];
        var result = _calculator.ForUtilization(3, 30, "cpu", pods, HpaPods.Samples(("p0", 300), ("p1", 500), ("p2", 700)), HpaPods.Now);
        Assert.Equal(4, result.Replicas);
        Assert.Equal(60, result.Utilization);
    }

    [Fact]
    public void Unready_pods_are_left_out_on_scale_down()
    {
        // Scale down with an unready Pod: it is simply not counted (ready 2 x 100m of 2 cores = 10 % at 50 %).
        Pod[] pods = [HpaPods.Unready("p0"), HpaPods.Ready("p1"), HpaPods.Ready("p2")];
        var result = _calculator.ForUtilization(3, 50, "cpu", pods, HpaPods.Samples(("p0", 900), ("p1", 100), ("p2", 100)), HpaPods.Now);
        Assert.Equal(1, result.Replicas);
        Assert.Equal(10, result.Utilization);
    }

    [Fact]
    public void Missing_metrics_count_as_zero_on_scale_up()
    {
        // 2 of 3 Pods at 90 % (target 50): the third at 0 gives 60 % -> ceil(3 x 1.2) = 4.
        var pods = ReadyPods(3);
        var result = _calculator.ForUtilization(3, 50, "cpu", pods, HpaPods.Samples(("p0", 900), ("p1", 900)), HpaPods.Now);
        Assert.Equal(4, result.Replicas);
        Assert.Equal(90, result.Utilization);
    }

    [Fact]
    public void Missing_metrics_count_as_full_request_on_scale_down()
    {
        // 3 of 4 Pods at 10 % (target 50): the fourth at 100 % of its request gives 32 % -> ceil(4 x 0.64) = 3.
        var pods = ReadyPods(4);
        var result = _calculator.ForUtilization(4, 50, "cpu", pods, HpaPods.Samples(("p0", 100), ("p1", 100), ("p2", 100)), HpaPods.Now);
        Assert.Equal(3, result.Replicas);
    }

    [Fact]
    public void Missing_metrics_that_flip_the_direction_keep_the_count()
    {
        // 60 % on one Pod says "up"; the missing Pod at 0 makes it 30 %, "down": upstream keeps the current count.
        var pods = ReadyPods(2);
        var result = _calculator.ForUtilization(2, 50, "cpu", pods, HpaPods.Samples(("p0", 600)), HpaPods.Now);
        Assert.Equal(2, result.Replicas);
    }

    [Fact]
    public void Pending_pods_are_unready_and_failed_or_deleted_pods_ignored()
    {
        var deleted = HpaPods.Ready("p3");
        deleted.Metadata.DeletionTimestamp = HpaPods.Now;
        Pod[] pods = [HpaPods.Ready("p0"), HpaPods.InPhase("p1", PodPhases.Pending), HpaPods.InPhase("p2", PodPhases.Failed), deleted];

        // The failed and deleted Pods' samples are dropped; p0 alone is at 80 % (ratio 1.6, "up"). Counting the Pending
        // Pod at 0 gives (800 + 0) / 2000 = 40 %, "down": the direction flipped, so the count stays.
        var result = _calculator.ForUtilization(4, 50, "cpu", pods, HpaPods.Samples(("p0", 800), ("p2", 5000), ("p3", 5000)), HpaPods.Now);
        Assert.Equal(4, result.Replicas);
        Assert.Equal(80, result.Utilization);
    }

    [Fact]
    public void A_container_without_a_request_is_an_error_naming_it()
    {
        var pod = HpaPods.Ready("p0");
        pod.Spec!.Containers[0].Resources = null;
        var e = Assert.Throws<ReplicaCalculationException>(() => _calculator.ForUtilization(1, 50, "cpu", [pod], HpaPods.Samples(("p0", 100)), HpaPods.Now));
        Assert.Equal("missing request for cpu in container app of Pod p0", e.Message);
    }

    [Fact]
    public void Memory_utilization_is_against_memory_requests()
    {
        // 2 Pods requesting 100Mi using 150Mi each at a 60 % target: 150 % / 60 % = 2.5 -> 5.
        Pod[] pods = [HpaPods.Ready("p0", memoryRequest: "100Mi"), HpaPods.Ready("p1", memoryRequest: "100Mi")];
        var mi = 1024L * 1024 * 1000;
        var result = _calculator.ForUtilization(2, 60, "memory", pods, HpaPods.Samples(("p0", 150 * mi), ("p1", 150 * mi)), HpaPods.Now);
        Assert.Equal(5, result.Replicas);
        Assert.Equal(150, result.Utilization);
    }

    [Fact]
    public void No_pods_is_an_error()
    {
        var e = Assert.Throws<ReplicaCalculationException>(() => _calculator.ForUtilization(1, 50, "cpu", [], HpaPods.Samples(), HpaPods.Now));
        Assert.Contains("no pods returned by selector", e.Message, StringComparison.Ordinal);
    }
}
