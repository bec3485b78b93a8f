using GitOrch.Engine.Events;
using GitOrch.Engine.Runtime;
using GitOrch.Engine.Sources.Fetch;
using GitOrch.Engine.Sources.Writing;
using GitOrch.Engine.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GitOrch.Engine.Sources;

public static class SourceServiceCollectionExtensions
{
    /// <summary>
    /// Registers the source controller (its reconciler on the shared controller runtime) and what its HTTP routes need.
    /// Uses the process's <see cref="SharedInformers"/>, registering them if the host has none yet.
    /// </summary>
    public static IServiceCollection AddGitOrchSources(this IServiceCollection services, string dataDir, Action<SourceOptions>? configure = null)
    {
        var options = new SourceOptions { DataDir = dataDir };
        configure?.Invoke(options);
        services.AddSingleton(options);
        if (!services.Any(d => d.ServiceType == typeof(SharedInformers)))
        {
            services.AddSingleton<SharedInformers>();
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<SharedInformers>());
        }

        services.AddSingleton(sp => new SourceReconciler(
            sp.GetRequiredService<IObjectStore>(),
            sp.GetRequiredService<SharedInformers>(),
            options,
            sp.GetService<IEventRecorder>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<SourceReconciler>>()));
        services.AddSingleton<SourceRepositories>(sp => sp.GetRequiredService<SourceReconciler>().Repositories);
        services.AddSingleton(sp => new GitWriter(
            sp.GetRequiredService<IObjectStore>(),
            sp.GetRequiredService<SourceRepositories>(),
            sp.GetRequiredService<SourceReconciler>().Fetcher,
            options,
            sp.GetService<TimeProvider>()));
        services.AddReconciler<SourceReconciler>(options.Controller());
        return services;
    }
}
