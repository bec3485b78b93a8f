using GitOrch.Api.Model;

namespace GitOrch.Agent.Network;

/// <summary>
/// A Pod's <c>/etc/resolv.conf</c> and <c>/etc/hosts</c>, as kubelet writes them: with dnsPolicy ClusterFirst (the
/// default) the node-local DNS server, the search list <c>&lt;ns&gt;.svc.&lt;domain&gt; svc.&lt;domain&gt; &lt;domain&gt;</c> and
/// <c>ndots:5</c>; Default takes the node's resolvers; None only the Pod's dnsConfig, which the other policies merge in.
/// Pure functions: the Pod worker writes the text into files it bind-mounts into every container of the Pod.
/// </summary>
public static class PodDnsFiles
{
    public static string ResolvConf(Pod pod, string? clusterDns, string clusterDomain, string hostResolvConf)
    {
        var spec = pod.Spec ?? new PodSpec();
        var ns = pod.Namespace ?? "default";
        var policy = spec.DnsPolicy ?? "ClusterFirst";
        var hostNet = spec.HostNetwork == true;
        var clusterFirst = clusterDns != null && (policy == "ClusterFirstWithHostNet" || (policy == "ClusterFirst" && !hostNet));
        List<string> servers = [], searches = [], options = [];
        if (clusterFirst)
        {
            servers.Add(clusterDns!);
            searches.AddRange([$"{ns}.svc.{clusterDomain}", $"svc.{clusterDomain}", clusterDomain]);
            options.Add("ndots:5");
        }
        else if (policy != "None")
        {
            foreach (var line in hostResolvConf.Split('\n').Select(l => l.Trim()))
            {
                var words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (words.Length > 1 && words[0] == "nameserver")
                {
                    servers.Add(words[1]);
                }
                else if (words.Length > 1 && words[0] is "search" or "domain")
                {
                    searches.AddRange(words.Skip(1));
                }
                else if (words.Length > 1 && words[0] == "options")
                {
                    options.AddRange(words.Skip(1));
                }
            }
        }

        if (spec.DnsConfig is { } extra)
        {
            servers.AddRange(extra.Nameservers ?? []);
            searches.AddRange(extra.Searches ?? []);
            foreach (var o in extra.Options ?? [])
            {
                options.RemoveAll(x => x.Split(':')[0] == o.Name);
                options.Add(string.IsNullOrEmpty(o.Value) ? o.Name : o.Name + ":" + o.Value);
            }
        }

        var text = new System.Text.StringBuilder();
        foreach (var s in servers.Distinct().Take(3))
        {
            text.Append("nameserver ").Append(s).Append('\n');
        }

        if (searches.Count > 0)
        {
            text.Append("search ").AppendJoin(' ', searches.Distinct().Take(32)).Append('\n');
        }

        if (options.Count > 0)
        {
            text.Append("options ").AppendJoin(' ', options.Distinct()).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>localhost, then the Pod's own name(s) on its IP: <c>&lt;hostname&gt;.&lt;subdomain&gt;.&lt;ns&gt;.svc.&lt;domain&gt;</c> when it has a subdomain.</summary>
    public static string Hosts(Pod pod, string podIP, string clusterDomain)
    {
        var spec = pod.Spec ?? new PodSpec();
        var hostname = string.IsNullOrEmpty(spec.Hostname) ? pod.Name : spec.Hostname!;
        var names = string.IsNullOrEmpty(spec.Subdomain)
            ? hostname
            : $"{hostname}.{spec.Subdomain}.{pod.Namespace ?? "default"}.svc.{clusterDomain} {hostname}";
        return $"127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n{podIP}\t{names}\n";
    }
}
