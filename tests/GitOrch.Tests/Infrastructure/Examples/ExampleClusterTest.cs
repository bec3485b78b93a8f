using Xunit;

namespace GitOrch.Tests.Infrastructure.Examples;

/// <summary>
/// Base of the tests that run one folder of examples/ unchanged: a fresh <see cref="ExampleCluster"/> on
/// <paramref name="nodeIP"/> with <paramref name="example"/> committed to its repository under the same name, and an
/// HTTP client with a short timeout for the pages the example serves.
/// </summary>
public abstract class ExampleClusterTest(string nodeIP, string example) : IAsyncLifetime
{
    protected static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    protected HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(5) };

    protected ExampleCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await ExampleCluster.StartAsync(nodeIP);
        Cluster.CopyExample(example, example);
        Cluster.Repo.Commit(example + " example");
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Cluster.DisposeAsync();
    }
}
