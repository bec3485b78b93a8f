using System;
using System.Globalization;
using System.Text.Json.Serialization;
using GitOrch.Api.Serialization;

namespace GitOrch.Api.Model;

/// <summary>A port or a percentage that may be written as a number or as a string ("http", "25%").</summary>
[JsonConverter(typeof(IntOrStringConverter))]
public readonly struct IntOrString : IEquatable<IntOrString>
{
    public IntOrString(int value)
    {
        IntValue = value;
        StringValue = null;
    }

    public IntOrString(string value)
    {
        IntValue = 0;
        StringValue = value;
    }

    public int IntValue { get; }

    public string? StringValue { get; }

    public bool IsString => StringValue != null;

    public static implicit operator IntOrString(int value) => new(value);

    public static implicit operator IntOrString(string value) => new(value);

    /// <summary>Resolves a number or a percentage of <paramref name="total"/> (rounding up or down as Kubernetes does for surge and unavailable).</summary>
    public int Scaled(int total, bool roundUp)
    {
        if (!IsString)
        {
            return IntValue;
        }

        var s = StringValue!;
        if (s.EndsWith("%", StringComparison.Ordinal) && int.TryParse(s.Substring(0, s.Length - 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pct))
        {
            var exact = total * pct / 100m;
            return (int)(roundUp ? Math.Ceiling(exact) : Math.Floor(exact));
        }

        if (int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        throw new FormatException($"invalid value \"{s}\": must be an integer or a percentage");
    }

    public override string ToString() => StringValue ?? IntValue.ToString(CultureInfo.InvariantCulture);

    public bool Equals(IntOrString other) => IntValue == other.IntValue && StringValue == other.StringValue;

    public override bool Equals(object? obj) => obj is IntOrString o && Equals(o);

    public override int GetHashCode() => StringValue?.GetHashCode() ?? IntValue;

    public static bool operator ==(IntOrString a, IntOrString b) => a.Equals(b);

    public static bool operator !=(IntOrString a, IntOrString b) => !a.Equals(b);
}
