using GitOrch.Engine.Hosting;
using GitOrch.Engine.Store;
using GitOrch.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit;

namespace GitOrch.Tests.Engine.Hosting;

public sealed class EngineOptionsValidationTests
{
    public static TheoryData<string, Action<EngineOptions>> BadSettings => new()
    {
        { "DataDir", o => o.DataDir = "" },
        { "Listen", o => o.Listen = "nonsense" },
        { "Listen", o => o.Listen = "127.0.0.1:70000" },
        { "ShutdownTimeout", o => o.ShutdownTimeout = TimeSpan.FromSeconds(-1) },
        { "LogLevel", o => o.LogLevel = (LogLevel)42 },
        { "Store.ChangeLogCapacity", o => o.Store.ChangeLogCapacity = 0 },
        { "Store.MaxGroupSize", o => o.Store.MaxGroupSize = -5 },
        { "Store.SyncInterval", o => o.Store.SyncInterval = TimeSpan.FromHours(1) },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void Bad_setting_fails_validation_naming_it(string setting, Action<EngineOptions> spoil)
    {
        var options = new EngineOptions();
        spoil(options);

        var e = Assert.Throws<OptionsValidationException>(() => EngineOptionsValidator.ThrowIfInvalid(options));

        Assert.Contains(setting, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_options_are_valid() => EngineOptionsValidator.ThrowIfInvalid(new EngineOptions());

    [Fact]
    public async Task Engine_with_a_bad_setting_fails_at_start_before_touching_the_data_directory()
    {
        using var dir = new TempDirectory();
        var dataDir = Path.Combine(dir.Path, "data");
        var options = new EngineOptions { DataDir = dataDir, Listen = "127.0.0.1:0", Store = new StoreOptions { MaxGroupSize = 0 } };

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => EngineHost.StartAsync(options));

        Assert.Contains("MaxGroupSize", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dataDir));
    }
}
