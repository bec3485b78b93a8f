using System;
using System.Globalization;
using System.Text.Json.Serialization;
using GitOrch.Api.Serialization;

namespace GitOrch.Api.Model;

/// <summary>
/// A Kubernetes resource quantity ("500m", "2", "128Mi", "1G", "1e3"). Keeps the text it was written
/// with, so JSON round-trips unchanged, and compares by value, so "1" equals "1000m" and "1Gi" &gt; "1G".
/// </summary>
[JsonConverter(typeof(QuantityConverter))]
public readonly struct Quantity : IEquatable<Quantity>, IComparable<Quantity>
{
    private static readonly (string Suffix, decimal Factor)[] Suffixes =
    {
        ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024), ("Ti", 1024m * 1024 * 1024 * 1024),
        ("Pi", 1024m * 1024 * 1024 * 1024 * 1024), ("Ei", 1024m * 1024 * 1024 * 1024 * 1024 * 1024),
        ("n", 0.000000001m), ("u", 0.000001m), ("m", 0.001m), ("k", 1000m), ("M", 1000_000m), ("G", 1000_000_000m),
        ("T", 1000_000_000_000m), ("P", 1000_000_000_000_000m), ("E", 1000_000_000_000_000_000m),
    };

    private readonly string? _text;

    public Quantity(decimal value, string text)
    {
        Value = value;
        _text = text;
    }

    /// <summary>The amount in base units (cores for CPU, bytes for memory).</summary>
    public decimal Value { get; }

    /// <summary>Milli-units, the integer unit schedulers account CPU in.</summary>
    public long Milli => (long)Math.Ceiling(Value * 1000m);

    public static Quantity Parse(string text)
    {
        if (!TryParse(text, out var q))
        {
            throw new FormatException($"quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': \"{text}\"");
        }

        return q;
    }

    public static bool TryParse(string? text, out Quantity quantity)
    {
        quantity = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text!.Trim();
        decimal factor = 1m;
        foreach (var (suffix, f) in Suffixes)
        {
            if (s.EndsWith(suffix, StringComparison.Ordinal) && s.Length > suffix.Length && (char.IsDigit(s[s.Length - suffix.Length - 1]) || s[s.Length - suffix.Length - 1] == '.'))
            {
                factor = f;
                s = s.Substring(0, s.Length - suffix.Length);
                break;
            }
        }

        if (!decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        quantity = new Quantity(number * factor, text.Trim());
        return true;
    }

    public static Quantity FromMilli(long milli) => new(milli / 1000m, milli % 1000 == 0 ? (milli / 1000).ToString(CultureInfo.InvariantCulture) : milli.ToString(CultureInfo.InvariantCulture) + "m");

    public static Quantity FromBytes(long bytes) => new(bytes, bytes % (1024 * 1024) == 0 ? (bytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture) + "Mi" : bytes.ToString(CultureInfo.InvariantCulture));

    public override string ToString() => _text ?? Value.ToString(CultureInfo.InvariantCulture);

    public bool Equals(Quantity other) => Value == other.Value;

    public override bool Equals(object? obj) => obj is Quantity q && Equals(q);

    public override int GetHashCode() => Value.GetHashCode();

    public int CompareTo(Quantity other) => Value.CompareTo(other.Value);

    public static bool operator ==(Quantity a, Quantity b) => a.Equals(b);

    public static bool operator !=(Quantity a, Quantity b) => !a.Equals(b);

    public static bool operator <(Quantity a, Quantity b) => a.Value < b.Value;

    public static bool operator >(Quantity a, Quantity b) => a.Value > b.Value;

    public static bool operator <=(Quantity a, Quantity b) => a.Value <= b.Value;

    public static bool operator >=(Quantity a, Quantity b) => a.Value >= b.Value;
}
