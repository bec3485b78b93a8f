using System;
using System.Collections.Generic;
using System.Linq;

namespace GitOrch.Api.Client.Failover;

/// <summary>Several Engine URLs as people write them: <c>https://a:6443,https://b:6443</c> (kubeconfig-style list).</summary>
public static class ServerList
{
    /// <exception cref="FormatException">Names the entry that is not an absolute http(s) URL.</exception>
    public static IReadOnlyList<Uri> Parse(string servers)
    {
        var list = new List<Uri>();
        foreach (var part in (servers ?? "").Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim()).Where(p => p.Length > 0))
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            {
                throw new FormatException($"server list \"{servers}\": \"{part}\" is not an http(s) URL");
            }

            list.Add(uri);
        }

        if (list.Count == 0)
        {
            throw new FormatException($"server list \"{servers}\" names no server");
        }

        return list;
    }
}
