using Xunit;

namespace GitOrch.Tests.Infrastructure.Agent;

/// <summary>Agent tests share one Docker engine and two cores: they run one at a time so timings stay honest.</summary>
[CollectionDefinition(Name)]
public sealed class AgentCollection
{
    public const string Name = "docker-agent";
}
