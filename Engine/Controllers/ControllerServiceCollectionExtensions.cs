using GitOrch.Engine.Controllers.Deployments;
using GitOrch.Engine.Controllers.GarbageCollection;
using GitOrch.Engine.Controllers.Nodes;
using GitOrch.Engine.Controllers.ReplicaSets;
using GitOrch.Engine.Runtime;
using GitOrch.Engine.Events;
using GitOrch.Engine.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GitOrch.Engine.Controllers;

public static class ControllerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the shared informers, the Deployment, ReplicaSet, node lifecycle and garbage collection controllers
    /// and the scheduler as hosted services. Needs an <c>IObjectStore</c>; registers <see cref="EventRecorder"/> (and
    /// <see cref="TimeProvider.System"/>) unless the host already did.
    /// </summary>
    public static IServiceCollection AddGitOrchControllers(this IServiceCollection services, Action<GitOrchControllerOptions>? configure = null)
    {
        var options = new GitOrchControllerOptions();
        configure?.Invoke(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(options);
        services.TryAddSingleton(options.Controllers);
        services.TryAddSingleton(options.ReplicaSets);
        services.TryAddSingleton(options.NodeLifecycle);
        services.TryAddSingleton(options.Scheduler);
        if (!services.Any(d => d.ServiceType == typeof(SharedInformers)))
        {
            services.AddSingleton<SharedInformers>();
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<SharedInformers>());
        }

        if (!services.Any(d => d.ServiceType == typeof(IEventRecorder)))
        {
            services.TryAddSingleton(new EventOptions());
            services.AddSingleton<EventRecorder>();
            services.AddSingleton<IEventRecorder>(sp => sp.GetRequiredService<EventRecorder>());
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<EventRecorder>());
        }

        services.AddReconciler<ReplicaSetReconciler>();
        services.AddReconciler<DeploymentReconciler>();
        services.AddReconciler<Jobs.JobReconciler>();
        services.AddReconciler<CronJobs.CronJobReconciler>();
        services.AddReconciler<StatefulSets.StatefulSetReconciler>();
        services.AddReconciler<DaemonSets.DaemonSetReconciler>();
        if (options.EnableNodeLifecycle)
        {
            services.AddReconciler<NodeLifecycleReconciler>();
        }

        if (options.EnableGarbageCollector)
        {
            services.AddReconciler<GarbageCollector>();
        }

        if (options.EnableScheduler)
        {
            services.AddSingleton<Scheduler>();
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<Scheduler>());
        }

        return services;
    }

    /// <summary>
    /// Runs one more reconciler as a controller (its own work queue and workers, started with the host). This is the
    /// one line a new controller needs: <c>services.AddReconciler&lt;JobReconciler&gt;()</c>.
    /// </summary>
    public static IServiceCollection AddReconciler<TReconciler>(this IServiceCollection services) where TReconciler : class, IReconciler
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new ControllerOptions());
        services.TryAddSingleton<TReconciler>();
        var key = typeof(TReconciler).FullName!;
        services.AddKeyedSingleton<Controller>(key, (sp, _) => new Controller(
            sp.GetRequiredService<TReconciler>(),
            sp.GetRequiredService<ControllerOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("GitOrch.Engine.Controllers." + typeof(TReconciler).Name)));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredKeyedService<Controller>(key));
        return services;
    }
}
