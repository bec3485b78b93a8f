using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GitOrch.Engine.Controllers.Autoscaling;

public static class AutoscalingServiceCollectionExtensions
{
    /// <summary>The HorizontalPodAutoscaler controller. Needs the usage cache (<c>AddGitOrchUsageMetrics</c>).</summary>
    public static IServiceCollection AddGitOrchAutoscaling(this IServiceCollection services, Action<AutoscalingOptions>? configure = null)
    {
        var options = new AutoscalingOptions();
        configure?.Invoke(options);
        services.TryAddSingleton(options);
        services.AddReconciler<HorizontalPodAutoscalerReconciler>();
        return services;
    }
}
