using System.Text.Json.Nodes;

namespace GitOrch.Agent.Network.Cni;

/// <summary>What a CNI call is about: the sandbox, its namespace and the Pod (passed to plugins as CNI_ARGS).</summary>
public sealed record CniTarget
{
    public required string ContainerId { get; init; }

    /// <summary>e.g. <c>/proc/1234/ns/net</c>; empty on a DEL after the sandbox is gone (the spec allows it).</summary>
    public required string NetNs { get; init; }

    public string IfName { get; init; } = "eth0";
    public string PodNamespace { get; init; } = "";
    public string PodName { get; init; } = "";
    public string PodUid { get; init; } = "";

    /// <summary>hostPorts for plugins with the portMappings capability (portmap).</summary>
    public JsonArray? PortMappings { get; init; }
}

/// <summary>
/// Runs CNI plugins the way libcni does (CNI spec 1.0): each plugin of a conflist is executed from the bin directory
/// with CNI_COMMAND, CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, CNI_ARGS and CNI_PATH set and its configuration on
/// stdin; ADD passes each plugin's result to the next as <c>prevResult</c>, CHECK and DEL pass the cached final
/// result, DEL runs the chain backwards. A plugin's error (exit code and its JSON <c>msg</c>/<c>details</c>) becomes a
/// <see cref="CniException"/> carrying the plugin's own words, which the Pod's event repeats.
/// </summary>
public sealed class CniRuntime(string binDir, TimeSpan timeout)
{
    public string BinDir => binDir;

    /// <summary>Names the plugin binaries of <paramref name="types"/> that are not in the bin directory.</summary>
    public IReadOnlyList<string> Missing(IEnumerable<string> types)
        => types.Distinct(StringComparer.Ordinal).Where(t => !File.Exists(Path.Combine(binDir, t))).ToList();

    public async Task<JsonObject> AddAsync(CniConfList list, CniTarget target, CancellationToken ct)
    {
        JsonObject? result = null;
        foreach (var plugin in list.Plugins)
        {
            result = await ExecAsync("ADD", list, plugin, result, target, ct).ConfigureAwait(false) ?? result;
        }

        return result ?? new JsonObject();
    }

    public async Task CheckAsync(CniConfList list, CniTarget target, JsonObject cached, CancellationToken ct)
    {
        foreach (var plugin in list.Plugins)
        {
            await ExecAsync("CHECK", list, plugin, cached, target, ct).ConfigureAwait(false);
        }
    }

    public async Task DelAsync(CniConfList list, CniTarget target, JsonObject? cached, CancellationToken ct)
    {
        foreach (var plugin in list.Plugins.Reverse())
        {
            await ExecAsync("DEL", list, plugin, cached, target, ct).ConfigureAwait(false);
        }
    }

    private async Task<JsonObject?> ExecAsync(string command, CniConfList list, JsonObject plugin, JsonObject? prevResult, CniTarget target, CancellationToken ct)
    {
        var type = plugin["type"]!.GetValue<string>();
        var config = (JsonObject)plugin.DeepClone();
        config["name"] = list.Name;
        config["cniVersion"] = list.CniVersion;
        if (prevResult != null)
        {
            config["prevResult"] = prevResult.DeepClone();
        }

        if (target.PortMappings != null && config["capabilities"]?["portMappings"]?.GetValue<bool>() == true)
        {
            config["runtimeConfig"] = new JsonObject { ["portMappings"] = target.PortMappings.DeepClone() };
        }

        var (code, stdout, stderr) = await RunAsync(command, type, config.ToJsonString(), target, ct).ConfigureAwait(false);
        if (code != 0)
        {
            throw new CniException($"CNI plugin {type} {command} failed (exit {code}): {ErrorText(stdout, stderr)}");
        }

        if (command != "ADD" || string.IsNullOrWhiteSpace(stdout))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(stdout) as JsonObject;
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new CniException($"CNI plugin {type} ADD printed no JSON result: {stdout.Trim()}", e);
        }
    }

    private async Task<(int Code, string Stdout, string Stderr)> RunAsync(string command, string type, string stdin, CniTarget target, CancellationToken ct)
    {
        var exe = Path.Combine(binDir, type);
        if (!File.Exists(exe))
        {
            throw new CniException($"CNI plugin {type} not found in {binDir}");
        }

        var env = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = target.ContainerId,
            ["CNI_NETNS"] = target.NetNs,
            ["CNI_IFNAME"] = target.IfName,
            ["CNI_PATH"] = binDir,
            ["CNI_ARGS"] = $"IgnoreUnknown=1;K8S_POD_NAMESPACE={target.PodNamespace};K8S_POD_NAME={target.PodName};K8S_POD_INFRA_CONTAINER_ID={target.ContainerId};K8S_POD_UID={target.PodUid}",
        };
        try
        {
            var r = await HostCommand.RunAsync(exe, [], stdin, timeout, ct, env).ConfigureAwait(false);
            return (r.Code, r.Stdout, r.Stderr);
        }
        catch (TimeoutException e)
        {
            throw new CniException($"CNI plugin {type} {command} did not finish within {timeout.TotalSeconds:0}s", e);
        }
    }

    /// <summary>The plugin's error object (<c>{"code","msg","details"}</c>) as one line, else whatever it printed.</summary>
    private static string ErrorText(string stdout, string stderr)
    {
        try
        {
            if (JsonNode.Parse(stdout) is JsonObject o && o["msg"] != null)
            {
                var details = o["details"]?.GetValue<string>();
                return o["msg"]!.GetValue<string>() + (string.IsNullOrEmpty(details) ? "" : ": " + details);
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }

        var text = (stdout + " " + stderr).Trim();
        return text.Length == 0 ? "no output" : text;
    }
}
