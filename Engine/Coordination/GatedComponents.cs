using GitOrch.Engine.Store;

namespace GitOrch.Engine.Coordination;

/// <summary>
/// The hosted components (controllers, scheduler, source controller, node lifecycle, garbage collector) that only
/// the leader runs. <see cref="Gate"/> takes them out of the Engine's own host, in one place, and keeps their
/// registrations; each term of leadership builds them afresh in a child container (a stopped BackgroundService cannot
/// start again, and a new leader must start from the store, not from the last term's memory), which resolves every
/// other service (store, options, clock, logging) from the Engine's container.
/// </summary>
internal sealed class GatedComponents
{
    private readonly List<ServiceDescriptor> _components;
    private readonly List<ServiceDescriptor> _shared;

    private GatedComponents(List<ServiceDescriptor> components, List<ServiceDescriptor> shared)
    {
        _components = components;
        _shared = shared;
    }

    /// <summary>
    /// Moves the hosted services registered at indexes [<paramref name="from"/>, <paramref name="to"/>) out of
    /// <paramref name="services"/> and registers the elector that runs them while this Engine leads.
    /// </summary>
    public static void Gate(IServiceCollection services, int from, int to, LeaderElectionOptions options)
    {
        var components = services.Skip(from).Take(to - from).ToList();
        var shared = services.Take(from).Concat(services.Skip(to)).ToList();
        foreach (var hosted in components.Where(d => d.ServiceType == typeof(IHostedService)).ToList())
        {
            services.Remove(hosted);
        }

        services.AddSingleton(options);
        services.AddSingleton(new GatedComponents(components, shared));
        services.AddSingleton<LeaderElector>();
        services.AddHostedService(sp => sp.GetRequiredService<LeaderElector>());
    }

    /// <summary>A fresh set of the components for one term, in a container that falls back to the Engine's.</summary>
    public ServiceProvider Build(IServiceProvider engine, LeaderTerm leaderTerm)
    {
        IServiceCollection term = new ServiceCollection();
        foreach (var type in _shared.Where(Forwardable).Select(d => d.ServiceType).Distinct())
        {
            term.AddSingleton(type, _ => engine.GetRequiredService(type));
        }

        // Every component writes through the term's fence.
        term.AddSingleton<IObjectStore>(_ => new TermFencedStore(engine.GetRequiredService<IObjectStore>(), leaderTerm, engine.GetRequiredService<TimeProvider>()));

        term.AddLogging();
        term.AddSingleton(engine.GetRequiredService<ILoggerFactory>());
        foreach (var d in _components)
        {
            term.Add(d);
        }

        return term.BuildServiceProvider();
    }

    private static bool Forwardable(ServiceDescriptor d)
        => !d.IsKeyedService && !d.ServiceType.IsGenericTypeDefinition && d.ServiceType != typeof(IHostedService)
            && d.Lifetime == ServiceLifetime.Singleton && d.ServiceType != typeof(ILoggerFactory);
}
