using Xunit;
namespace GitOrch.Tests.Infrastructure.Module;

/// <summary>Module tests set process-wide environment variables (GITORCH_CONFIG, ...): they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ModuleCollection
{
    public const string Name = "PowerShell module";
}
