using GitOrch.Engine.Controllers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GitOrch.Engine.Metrics;

public static class MetricsServiceCollectionExtensions
{
    /// <summary>The usage cache (always: the metrics API reads it) and, when components run, the scraper that fills it.</summary>
    public static IServiceCollection AddGitOrchUsageMetrics(this IServiceCollection services, Action<MetricsOptions>? configure = null)
    {
        var options = new MetricsOptions();
        configure?.Invoke(options);
        services.TryAddSingleton(options);
        services.TryAddSingleton<UsageCache>();
        services.AddReconciler<UsageScraper>();
        return services;
    }
}
