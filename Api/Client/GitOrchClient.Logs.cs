using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using GitOrch.Api.Model;

namespace GitOrch.Api.Client;

public sealed partial class GitOrchClient
{
    /// <summary>Opens a Pod's log (plain text). With <see cref="PodLogOptions.Follow"/> the stream stays open until disposed.</summary>
    public Task<Stream> OpenPodLogAsync(string ns, string name, PodLogOptions? options = null, CancellationToken cancellationToken = default)
    {
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(options?.Container))
        {
            parts.Add("container=" + Uri.EscapeDataString(options!.Container));
        }

        if (options?.Follow == true)
        {
            parts.Add("follow=true");
        }

        if (options?.Previous == true)
        {
            parts.Add("previous=true");
        }

        if (options?.TailLines is int tail)
        {
            parts.Add("tailLines=" + tail.ToString(CultureInfo.InvariantCulture));
        }

        if (options?.Timestamps == true)
        {
            parts.Add("timestamps=true");
        }

        var path = ResourceKinds.Pod.ObjectPath(ns, name) + "/log" + (parts.Count == 0 ? "" : "?" + string.Join("&", parts));
        return OpenStreamAsync(path, cancellationToken);
    }
}
