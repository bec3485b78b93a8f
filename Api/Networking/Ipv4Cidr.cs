using System;
using System.Globalization;
using System.Net;

namespace GitOrch.Api.Networking;

/// <summary>
/// An IPv4 network such as <c>10.244.0.0/16</c>: the Engine carves node podCIDRs and Service ClusterIPs out of one,
/// and the agent derives its bridge gateway and DNS address from its node's. Addresses are handled as 32-bit numbers.
/// </summary>
public sealed class Ipv4Cidr : IEquatable<Ipv4Cidr>
{
    private Ipv4Cidr(uint network, int prefix)
    {
        Prefix = prefix;
        Network = network & Mask(prefix);
    }

    /// <summary>The first address as a number (host bits zero).</summary>
    public uint Network { get; }

    public int Prefix { get; }

    /// <summary>Addresses in the network, network and broadcast address included.</summary>
    public long Size => 1L << (32 - Prefix);

    /// <summary>e.g. "10.244.0.0/16"; throws <see cref="FormatException"/> naming the text when it is not one.</summary>
    public static Ipv4Cidr Parse(string text)
    {
        if (!TryParse(text, out var cidr))
        {
            throw new FormatException($"\"{text}\" is not an IPv4 CIDR such as 10.244.0.0/16");
        }

        return cidr!;
    }

    public static bool TryParse(string? text, out Ipv4Cidr? cidr)
    {
        cidr = null;
        var slash = text?.IndexOf('/') ?? -1;
        if (slash <= 0
            || !IPAddress.TryParse(text!.Substring(0, slash), out var ip)
            || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
            || !int.TryParse(text.Substring(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
            || prefix > 32)
        {
            return false;
        }

        cidr = new Ipv4Cidr(ToNumber(ip), prefix);
        return true;
    }

    public static uint ToNumber(IPAddress ip)
    {
        var b = ip.GetAddressBytes();
        return ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
    }

    public static IPAddress ToAddress(uint n)
        => new(new[] { (byte)(n >> 24), (byte)(n >> 16), (byte)(n >> 8), (byte)n });

    /// <summary>The address at <paramref name="offset"/> from the network address (1: the usual gateway).</summary>
    public IPAddress At(long offset) => ToAddress((uint)(Network + offset));

    public bool Contains(IPAddress ip)
        => ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && (ToNumber(ip) & Mask(Prefix)) == Network;

    /// <summary>True when the two networks share an address.</summary>
    public bool Overlaps(Ipv4Cidr other)
    {
        var p = Math.Min(Prefix, other.Prefix);
        return (Network & Mask(p)) == (other.Network & Mask(p));
    }

    /// <summary>The <paramref name="index"/>-th subnet of <paramref name="prefix"/> bits (index 0 starts at <see cref="Network"/>).</summary>
    public Ipv4Cidr Subnet(int prefix, long index) => new((uint)(Network + (index << (32 - prefix))), prefix);

    public override string ToString() => ToAddress(Network) + "/" + Prefix.ToString(CultureInfo.InvariantCulture);

    public bool Equals(Ipv4Cidr? other) => other != null && other.Network == Network && other.Prefix == Prefix;

    public override bool Equals(object? obj) => Equals(obj as Ipv4Cidr);

    public override int GetHashCode() => (int)Network ^ Prefix;

    private static uint Mask(int prefix) => prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
}
