using System.Net;
using System.Net.NetworkInformation;
using System.Security.Cryptography.X509Certificates;

namespace GitOrch.Engine.Security.Tls;

/// <summary>
/// The names the serving certificate must carry: the listen address (every interface's address when it is a
/// wildcard), <c>localhost</c>, <c>127.0.0.1</c>, <c>::1</c>, the host name and each <c>--tls-san</c>. Compared as
/// a set, so a changed flag re-issues the certificate and an unchanged one keeps it.
/// </summary>
public sealed record SubjectAltNames(IReadOnlySet<string> DnsNames, IReadOnlySet<IPAddress> Addresses)
{
    public static SubjectAltNames For(IPEndPoint listen, IEnumerable<string> extra)
    {
        var dns = new SortedSet<string>(StringComparer.OrdinalIgnoreCase) { "localhost" };
        var ips = new HashSet<IPAddress> { IPAddress.Loopback, IPAddress.IPv6Loopback };
        if (listen.Address.Equals(IPAddress.Any) || listen.Address.Equals(IPAddress.IPv6Any))
        {
            ips.UnionWith(InterfaceAddresses());
        }
        else
        {
            ips.Add(listen.Address);
        }

        var host = Dns.GetHostName();
        if (Uri.CheckHostName(host) == UriHostNameType.Dns)
        {
            dns.Add(host.ToLowerInvariant());
        }

        foreach (var name in extra.Select(e => e.Trim()).Where(e => e.Length > 0))
        {
            if (IPAddress.TryParse(name, out var ip))
            {
                ips.Add(ip);
            }
            else
            {
                dns.Add(name.ToLowerInvariant());
            }
        }

        return new SubjectAltNames(dns, ips);
    }

    /// <summary>The names <paramref name="certificate"/> carries (empty when it has no SAN extension).</summary>
    public static SubjectAltNames Of(X509Certificate2 certificate)
    {
        var dns = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        var ips = new HashSet<IPAddress>();
        foreach (var san in certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>())
        {
            dns.UnionWith(san.EnumerateDnsNames());
            ips.UnionWith(san.EnumerateIPAddresses());
        }

        return new SubjectAltNames(dns, ips);
    }

    public bool SameAs(SubjectAltNames other) => DnsNames.SetEquals(other.DnsNames) && Addresses.SetEquals(other.Addresses);

    public X509Extension ToExtension()
    {
        var builder = new SubjectAlternativeNameBuilder();
        foreach (var name in DnsNames)
        {
            builder.AddDnsName(name);
        }

        foreach (var ip in Addresses)
        {
            builder.AddIpAddress(ip);
        }

        return builder.Build();
    }

    public override string ToString() => string.Join(", ", DnsNames.Concat(Addresses.Select(a => a.ToString()).Order(StringComparer.Ordinal)));

    private static IEnumerable<IPAddress> InterfaceAddresses()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(a => a.Address)
                .Where(a => !a.IsIPv6LinkLocal)
                .ToList();
        }
        catch (NetworkInformationException)
        {
            return [];
        }
    }
}
