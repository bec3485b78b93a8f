using GitOrch.Engine.Events;
using GitOrch.Engine.Sources.Fetch;
using GitOrch.Engine.Sources.Writing;
using GitOrch.Engine.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GitOrch.Engine.Sources;

public static class SourceServiceCollectionExtensions
{
    /// <summary>Registers the source controller (a hosted service) and what its HTTP routes need.</summary>
    public static IServiceCollection AddGitOrchSources(this IServiceCollection services, string dataDir, Action<SourceOptions>? configure = null)
    {
        var options = new SourceOptions { DataDir = dataDir };
        configure?.Invoke(options);
        services.AddSingleton(options);
        services.AddSingleton(_ => new SourceRepositories(options.CacheRoot));
        services.AddSingleton(sp => new SourceReconciler(
            sp.GetRequiredService<IObjectStore>(),
            sp.GetRequiredService<SourceRepositories>(),
            options,
            sp.GetService<IEventRecorder>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<SourceReconciler>>()));
        services.AddSingleton(sp => new GitWriter(
            sp.GetRequiredService<IObjectStore>(),
            sp.GetRequiredService<SourceRepositories>(),
            sp.GetRequiredService<SourceReconciler>().Fetcher,
            options,
            sp.GetService<TimeProvider>()));
        services.AddSingleton(sp => new SourceController(
            sp.GetRequiredService<IObjectStore>(),
            sp.GetRequiredService<SourceReconciler>(),
            options,
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<SourceController>>()));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<SourceController>());
        return services;
    }
}
