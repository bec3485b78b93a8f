using System.Text;
using GitOrch.Engine.Sources.Webhooks;
using Xunit;

namespace GitOrch.Tests.Engine.Sources.Webhooks;

/// <summary>Which forge notifications close or reopen a pull request's preview, with the payload shapes the forges send.</summary>
public sealed class PullRequestEventTests
{
    [Theory]
    [InlineData("X-GitHub-Event", "pull_request", """{"action":"closed","number":7,"pull_request":{"merged":true}}""", 7, false)]
    [InlineData("X-GitHub-Event", "pull_request", """{"action":"reopened","number":7}""", 7, true)]
    [InlineData("X-Gitea-Event", "pull_request", """{"action":"closed","number":12}""", 12, false)]
    [InlineData("X-Gitlab-Event", "Merge Request Hook", """{"object_kind":"merge_request","object_attributes":{"iid":3,"action":"merge","state":"merged"}}""", 3, false)]
    [InlineData("X-Gitlab-Event", "Merge Request Hook", """{"object_attributes":{"iid":3,"action":"close"}}""", 3, false)]
    [InlineData("X-Gitlab-Event", "Merge Request Hook", """{"object_attributes":{"iid":3,"action":"reopen"}}""", 3, true)]
    public void Close_and_reopen_notifications_are_recognised(string header, string value, string body, int number, bool open)
    {
        Assert.True(PullRequestEvent.TryParse(h => h == header ? value : null, Encoding.UTF8.GetBytes(body), out var e));
        Assert.Equal(new PullRequestEvent(number, open), e);
    }

    [Theory]
    [InlineData("X-GitHub-Event", "push", """{"ref":"refs/heads/main"}""")]
    [InlineData("X-GitHub-Event", "pull_request", """{"action":"synchronize","number":7}""")]
    [InlineData("X-GitHub-Event", "pull_request", """{"action":"closed","number":"7"}""")]
    [InlineData("X-GitHub-Event", "pull_request", """{"action":"closed"}""")]
    [InlineData("X-GitHub-Event", "pull_request", "not json")]
    [InlineData("X-GitHub-Event", "pull_request", "[1,2]")]
    [InlineData("X-Gitlab-Event", "Merge Request Hook", """{"object_attributes":{"iid":3,"action":"update"}}""")]
    [InlineData("X-Other-Event", "pull_request", """{"action":"closed","number":7}""")]
    public void Anything_else_is_not_a_pull_request_event(string header, string value, string body)
        => Assert.False(PullRequestEvent.TryParse(h => h == header ? value : null, Encoding.UTF8.GetBytes(body), out _));
}
