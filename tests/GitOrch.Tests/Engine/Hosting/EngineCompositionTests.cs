using GitOrch.Api.Model;
using GitOrch.Engine.Store;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Controllers;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace GitOrch.Tests.Engine.Hosting;

public sealed class EngineCompositionTests
{
    [Fact]
    public async Task The_engine_host_runs_the_controllers_and_the_scheduler()
    {
        await using var engine = await TestEngine.StartAsync(startComponents: true);
        var store = engine.Services.GetRequiredService<IObjectStore>();
        await store.CreateAsync(ControlPlane.NewNode("node-1"));
        await store.CreateAsync(ControlPlane.NewDeployment("hosted", 2));

        await Eventually.True(
            () => store.List<Pod>("default").Count(p => p.Metadata.Label("app") == "hosted" && !string.IsNullOrEmpty(p.Spec?.NodeName)) == 2,
            TimeSpan.FromSeconds(15), "2 pods created and bound inside the engine");
    }
}
