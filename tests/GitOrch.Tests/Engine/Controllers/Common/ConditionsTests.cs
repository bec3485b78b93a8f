using GitOrch.Api.Model;
using GitOrch.Engine.Controllers.Common;
using GitOrch.Engine.Controllers.Jobs;
using Xunit;

namespace GitOrch.Tests.Engine.Controllers.Common;

public sealed class ConditionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Set_adds_then_moves_transition_time_only_when_status_flips()
    {
        var list = new List<Condition>();
        Assert.True(Conditions.Set(list, new Condition { Type = ConditionTypes.Ready, Status = ConditionStatus.True, Reason = "A" }, T0));
        Assert.Equal(T0, list[0].LastTransitionTime);

        Assert.False(Conditions.Set(list, new Condition { Type = ConditionTypes.Ready, Status = ConditionStatus.True, Reason = "A" }, T0.AddMinutes(1)));
        Assert.True(Conditions.Set(list, new Condition { Type = ConditionTypes.Ready, Status = ConditionStatus.True, Reason = "B" }, T0.AddMinutes(2)));
        Assert.Equal(T0, list[0].LastTransitionTime);

        Assert.True(Conditions.Set(list, new Condition { Type = ConditionTypes.Ready, Status = ConditionStatus.False, Reason = "B" }, T0.AddMinutes(3)));
        Assert.Equal(T0.AddMinutes(3), list[0].LastTransitionTime);
        Assert.Single(list);
        Assert.False(Conditions.IsTrue(list, ConditionTypes.Ready));
    }

    [Fact]
    public void Set_on_a_list_made_for_it_adds_the_condition_as_the_binder_does()
    {
        List<Condition>? conditions = null;
        Assert.True(Conditions.Set(conditions ??= new List<Condition>(), new Condition { Type = ConditionTypes.PodScheduled, Status = ConditionStatus.True }, T0));
        Assert.True(Conditions.IsTrue(conditions, ConditionTypes.PodScheduled));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(6, 320)]
    [InlineData(7, 360)]
    [InlineData(100, 360)]
    public void Job_backoff_doubles_from_ten_seconds_to_six_minutes(int failures, int seconds)
        => Assert.Equal(TimeSpan.FromSeconds(seconds), new JobOptions().Backoff(failures));
}
