using System.ComponentModel.DataAnnotations;

namespace GitOrch.Engine.Hosting;

/// <summary>Validates a <c>HOST:PORT</c> setting with <see cref="ListenAddress.Parse"/>, with its message.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ListenAddressAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        if (value is not string text)
        {
            return ValidationResult.Success;
        }

        try
        {
            ListenAddress.Parse(text);
            return ValidationResult.Success;
        }
        catch (FormatException e)
        {
            return new ValidationResult($"{validationContext.DisplayName}: {e.Message}", validationContext.MemberName is { } m ? [m] : null);
        }
    }
}
