using System.Globalization;
using System.Net;

namespace GitOrch.Engine.Hosting;

/// <summary>Parses <c>HOST:PORT</c> for <c>--listen</c>.</summary>
public static class ListenAddress
{
    public static IPEndPoint Parse(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new FormatException($"--listen expects HOST:PORT, e.g. 127.0.0.1:6443 (got \"{text}\")");
        }

        var host = text[..colon].Trim('[', ']');
        IPAddress address = host switch
        {
            "localhost" => IPAddress.Loopback,
            "*" or "0.0.0.0" => IPAddress.Any,
            _ => IPAddress.TryParse(host, out var a) ? a : throw new FormatException($"--listen: \"{host}\" is not an IP address"),
        };
        return new IPEndPoint(address, port);
    }
}
