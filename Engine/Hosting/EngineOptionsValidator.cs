using Microsoft.Extensions.Options;

namespace GitOrch.Engine.Hosting;

/// <summary>
/// Checks <see cref="EngineOptions"/> (and its <see cref="Store.StoreOptions"/>) against their data annotations; the
/// code is generated at build time ([OptionsValidator]), so no reflection runs at start. The Engine validates before it
/// touches the data directory and registers the validated options as <see cref="IOptions{TOptions}"/>.
/// </summary>
[OptionsValidator]
public sealed partial class EngineOptionsValidator : IValidateOptions<EngineOptions>
{
    /// <exception cref="OptionsValidationException">Names every invalid setting, e.g. <c>EngineOptions.Store.MaxGroupSize</c>.</exception>
    public static void ThrowIfInvalid(EngineOptions options)
    {
        var result = new EngineOptionsValidator().Validate(nameof(EngineOptions), options);
        if (result.Failed)
        {
            throw new OptionsValidationException(nameof(EngineOptions), typeof(EngineOptions), result.Failures);
        }
    }
}
