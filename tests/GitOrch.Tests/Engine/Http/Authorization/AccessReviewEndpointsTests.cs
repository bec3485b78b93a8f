using System.Text.Json.Nodes;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Http;
using Xunit;

namespace GitOrch.Tests.Engine.Http.Authorization;

/// <summary>SelfSubjectAccessReview and SelfSubjectRulesReview answer from the Authorizer (what <c>kubectl auth can-i</c> asks).</summary>
public sealed class AccessReviewEndpointsTests : IAsyncLifetime
{
    private const string Access = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
    private const string Rules = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";
    private TestEngine _engine = null!;
    private RawHttp _admin = null!;
    private RawHttp _agent = null!;

    public async Task InitializeAsync()
    {
        _engine = await TestEngine.StartAsync();
        _admin = new RawHttp(_engine, _engine.AdminToken);
        _agent = new RawHttp(_engine, _engine.AgentToken);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        _agent.Dispose();
        await _engine.DisposeAsync();
    }

    [Theory]
    [InlineData("admin", "delete", "apps", "deployments", "", true)]
    [InlineData("agent", "list", "", "pods", "", true)]
    [InlineData("agent", "update", "", "pods", "status", true)]
    [InlineData("agent", "delete", "", "pods", "", false)]
    [InlineData("agent", "create", "apps", "deployments", "", false)]
    [InlineData("agent", "get", "", "secrets", "", true)]
    public async Task Access_review_answers_what_the_authorizer_decides(string who, string verb, string group, string resource, string subresource, bool allowed)
    {
        var attributes = $"\"namespace\":\"default\",\"verb\":\"{verb}\",\"group\":\"{group}\",\"resource\":\"{resource}\",\"subresource\":\"{subresource}\"";
        var body = "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectAccessReview\",\"spec\":{\"resourceAttributes\":{" + attributes + "}}}";
        var (code, text) = await (who == "admin" ? _admin : _agent).SendAsync("POST", Access, body);
        Assert.Equal(201, code);
        var review = JsonNode.Parse(text)!;
        Assert.Equal("SelfSubjectAccessReview", (string?)review["kind"]);
        Assert.Equal(allowed, (bool)review["status"]!["allowed"]!);
    }

    [Fact]
    public async Task Non_resource_paths_are_allowed()
    {
        var (_, text) = await _agent.SendAsync("POST", Access, """{"spec":{"nonResourceAttributes":{"path":"/version","verb":"get"}}}""");
        Assert.True((bool)JsonNode.Parse(text)!["status"]!["allowed"]!);
    }

    [Fact]
    public async Task A_review_without_attributes_is_422()
    {
        var status = await _admin.StatusAsync("POST", Access, """{"spec":{}}""");
        Assert.Equal(422, status.Code);
    }

    [Fact]
    public async Task Rules_review_lists_everything_for_admin_and_the_agent_rules_for_the_agent()
    {
        var (_, adminText) = await _admin.SendAsync("POST", Rules, """{"spec":{"namespace":"default"}}""");
        var adminRule = Assert.Single(JsonNode.Parse(adminText)!["status"]!["resourceRules"]!.AsArray())!;
        Assert.Equal("*", (string?)adminRule["verbs"]![0]);

        var (code, agentText) = await _agent.SendAsync("POST", Rules, """{"spec":{"namespace":"default"}}""");
        Assert.Equal(201, code);
        var rules = JsonNode.Parse(agentText)!["status"]!["resourceRules"]!.AsArray();
        var pods = Assert.Single(rules, r => (string?)r!["resources"]![0] == "pods" && (string?)r["apiGroups"]![0] == "")!;
        Assert.Equal(["get", "list", "watch"], pods["verbs"]!.AsArray().Select(v => (string)v!));
        Assert.DoesNotContain(rules, r => (string?)r!["resources"]![0] == "deployments");
    }
}
