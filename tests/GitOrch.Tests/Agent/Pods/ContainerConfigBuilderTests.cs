using GitOrch.Agent.Pods;
using GitOrch.Api.Model;
using Xunit;

namespace GitOrch.Tests.Agent.Pods;

public sealed class ContainerConfigBuilderTests
{
    [Fact]
    public void Command_and_args_expand_variables_from_the_environment_like_kubernetes()
    {
        var container = new Container
        {
            Name = "httpd",
            Image = "gitorch-test/busybox:latest",
            Command = new() { "httpd", "-p", "$(HOST_IP):8080" },
            Args = new() { "-h", "$(ROOT)", "$$(ROOT)", "$(UNDEFINED)" },
        };
        var pod = new Pod { Metadata = new ObjectMeta { Name = "p", Namespace = "default", Uid = "0123456789" }, Spec = new PodSpec { Containers = { container } } };

        var p = ContainerConfigBuilder.Build(pod, container, false, 0, 0, "node-a", new List<string> { "HOST_IP=127.0.0.10", "ROOT=/www" }, new Dictionary<string, string>());

        Assert.Equal(new[] { "httpd", "-p", "127.0.0.10:8080" }, p.Entrypoint);
        Assert.Equal(new[] { "-h", "/www", "$(ROOT)", "$(UNDEFINED)" }, p.Cmd);
    }
}
