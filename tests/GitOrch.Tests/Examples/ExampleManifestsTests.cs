using System.Collections;
using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Module;
using GitOrch.Tests.Infrastructure.Sources;
using Xunit;

namespace GitOrch.Tests.Examples;

/// <summary>
/// Every examples/ folder, unchanged in a Git repository, syncs cleanly through the module (no validation errors,
/// no warnings such as unknown fields) and yields the objects it promises; and every container can start from the
/// image scripts/setup.sh imports locally (which is on no registry: a ":latest" image must say IfNotPresent, or
/// the agent pulls and fails). The running behaviour is the end-to-end tests' job (hello: tests/EndToEnd).
/// </summary>
[Collection(ModuleCollection.Name)]
[Trait("Requires", "Docker")]
[Trait("Requires", "Git")]
public sealed class ExampleManifestsTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("gitorch-example-manifests");
    private readonly PowerShellSession _ps = new();
    private TestEngine _engine = null!;

    public async Task InitializeAsync()
    {
        _engine = await TestEngine.StartAsync(startComponents: true);
        _ps.UseEngine(_engine);
    }

    public async Task DisposeAsync()
    {
        _ps.Dispose();
        await _engine.DisposeAsync();
        _dir.Dispose();
    }

    [Theory]
    [InlineData("hello", "ConfigMap/hello-page Deployment/hello Service/hello")]
    [InlineData("multi-tier", "ConfigMap/backend-data ConfigMap/frontend-cgi Deployment/backend Deployment/frontend Service/backend Service/frontend")]
    public void The_example_syncs_without_errors_or_warnings_and_runs_from_the_local_test_image(string example, string objects)
    {
        var repo = new TestRepo(_dir.Path, example);
        foreach (var file in Directory.GetFiles(Path.Combine(PowerShellSession.RepoRoot, "examples", example)))
        {
            repo.Write(example + "/" + Path.GetFileName(file), File.ReadAllText(file));
        }

        repo.Commit(example);
        _ps.Run("Set-GitOrchSource $name -Url $url -Branch main -Path $name -Interval 01:00:00", new Hashtable { ["name"] = example, ["url"] = repo.FileUrl }).ThrowOnError();
        var source = _ps.Run("Sync-GitOrchSource $name -Wait -Timeout 00:00:30", new Hashtable { ["name"] = example }).ThrowOnError().Output.Single();
        Assert.Equal("True", source.Properties["Ready"].Value?.ToString());
        Assert.Empty((string[])source.Properties["Warnings"].Value);

        var status = _engine.Store.Get<GitSource>("default", example)!.Status!;
        Assert.Equal(repo.Head, status.LastAppliedCommit);
        Assert.Equal(objects, string.Join(" ", status.Inventory!.Select(i => i.Kind + "/" + i.Name).Order(StringComparer.Ordinal)));

        foreach (var entry in status.Inventory!.Where(i => i.Kind == "Deployment"))
        {
            var deployment = _engine.Store.Get<Deployment>("default", entry.Name)!;
            foreach (var c in deployment.Spec!.Template.Spec!.Containers)
            {
                Assert.Equal(DockerTestEnvironment.TestImage, c.Image);
                Assert.Equal("IfNotPresent", c.ImagePullPolicy);
            }
        }
    }
}
