using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GitOrch.Engine.Runtime;

public static class ControllerRegistration
{
    /// <summary>
    /// Runs a reconciler already registered as a singleton as a controller with options of its own (workers, retry
    /// backoff), for a feature whose settings differ from the shared <see cref="ControllerOptions"/> (the source
    /// controller retries fetches in seconds, not milliseconds). Otherwise the same as <c>AddReconciler&lt;T&gt;()</c>.
    /// </summary>
    public static IServiceCollection AddReconciler<TReconciler>(this IServiceCollection services, ControllerOptions options) where TReconciler : class, IReconciler
    {
        var key = typeof(TReconciler).FullName!;
        services.AddKeyedSingleton<Controller>(key, (sp, _) => new Controller(
            sp.GetRequiredService<TReconciler>(),
            options,
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("GitOrch.Engine.Controllers." + typeof(TReconciler).Name)));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredKeyedService<Controller>(key));
        return services;
    }
}
