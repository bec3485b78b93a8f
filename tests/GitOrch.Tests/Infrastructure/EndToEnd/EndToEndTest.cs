using Xunit;

namespace GitOrch.Tests.Infrastructure.EndToEnd;

/// <summary>
/// Base of the end-to-end stories: each test gets a fresh <see cref="EndToEndEnvironment"/> (its own folder, engine
/// and agents), started before the test and torn down after it.
/// </summary>
public abstract class EndToEndTest : IAsyncLifetime
{
    protected EndToEndEnvironment Env { get; private set; } = null!;

    public async Task InitializeAsync() => Env = await EndToEndEnvironment.StartAsync();

    public async Task DisposeAsync() => await Env.DisposeAsync();
}
