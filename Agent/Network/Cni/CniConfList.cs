using System.Text.Json.Nodes;

namespace GitOrch.Agent.Network.Cni;

/// <summary>
/// A CNI network configuration list (<c>*.conflist</c>, CNI spec 1.0): a name, a cniVersion and a chain of plugin
/// configurations. The agent reads the first one of its configuration directory by file name (libcni's rule), so a
/// different conflist (another CNI plugin) works without code changes; with none there, it writes its default.
/// </summary>
public sealed class CniConfList
{
    public const string DefaultFileName = "50-gitorch.conflist";

    private CniConfList(string path, JsonObject root)
    {
        Path = path;
        Root = root;
        Name = root["name"]?.GetValue<string>() ?? throw new CniException($"{path}: conflist has no \"name\"");
        CniVersion = root["cniVersion"]?.GetValue<string>() ?? "1.0.0";
        Plugins = (root["plugins"] as JsonArray)?.OfType<JsonObject>().ToList() ?? throw new CniException($"{path}: conflist has no \"plugins\" list");
        if (Plugins.Count == 0 || Plugins.Any(p => p["type"]?.GetValue<string>() is not { Length: > 0 }))
        {
            throw new CniException($"{path}: every plugin of the conflist needs a \"type\"");
        }
    }

    public string Path { get; }

    public string Name { get; }

    public string CniVersion { get; }

    public JsonObject Root { get; }

    /// <summary>The plugin configurations in chain order.</summary>
    public IReadOnlyList<JsonObject> Plugins { get; }

    /// <summary>Plugin types (binary names) of the chain.</summary>
    public IEnumerable<string> Types => Plugins.Select(p => p["type"]!.GetValue<string>());

    /// <summary>A conflist held in memory (the loopback one); <paramref name="origin"/> names it in errors.</summary>
    public static CniConfList Of(string origin, JsonObject root) => new(origin, root);

    /// <summary>The first <c>*.conflist</c> of <paramref name="dir"/> by name, or null when there is none.</summary>
    public static CniConfList? LoadFirst(string dir)
    {
        if (!Directory.Exists(dir))
        {
            return null;
        }

        var file = Directory.GetFiles(dir, "*.conflist").Order(StringComparer.Ordinal).FirstOrDefault();
        if (file == null)
        {
            return null;
        }

        try
        {
            return new CniConfList(file, JsonNode.Parse(File.ReadAllText(file)) as JsonObject ?? throw new CniException($"{file}: not a JSON object"));
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new CniException($"{file}: not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>
    /// GitOrch's default network: a Linux bridge whose address is the Pods' gateway, host-local IPAM over the
    /// node's podCIDR with its store under the agent's data directory, hairpin mode (a Pod reaching its own Service
    /// through NAT), and portmap for hostPorts. No masquerade: Pods reach each other by their own addresses.
    /// </summary>
    public static JsonObject Default(PodNetworkOptions options, string podCidr, string ipamDataDir) => new()
    {
        ["cniVersion"] = "1.0.0",
        ["name"] = options.NetworkName,
        ["plugins"] = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "bridge",
                ["bridge"] = options.BridgeName,
                ["isGateway"] = true,
                ["ipMasq"] = false,
                ["hairpinMode"] = true,
                ["ipam"] = new JsonObject
                {
                    ["type"] = "host-local",
                    ["ranges"] = new JsonArray { new JsonArray { new JsonObject { ["subnet"] = podCidr } } },
                    ["routes"] = new JsonArray { new JsonObject { ["dst"] = "0.0.0.0/0" } },
                    ["dataDir"] = ipamDataDir,
                },
            },
            new JsonObject
            {
                ["type"] = "portmap",
                ["capabilities"] = new JsonObject { ["portMappings"] = true },
                ["snat"] = true,
            },
        },
    };

    /// <summary>Writes the default conflist into <paramref name="dir"/> when it holds none (or rewrites ours when the podCIDR changed); returns the one to use.</summary>
    public static CniConfList EnsureDefault(string dir, JsonObject defaultConfig)
    {
        Directory.CreateDirectory(dir);
        var existing = LoadFirst(dir);
        var ours = System.IO.Path.Combine(dir, DefaultFileName);
        if (existing != null && existing.Path != ours)
        {
            return existing;
        }

        var text = defaultConfig.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        if (!File.Exists(ours) || File.ReadAllText(ours) != text)
        {
            File.WriteAllText(ours + ".tmp", text);
            File.Move(ours + ".tmp", ours, overwrite: true);
        }

        return LoadFirst(dir)!;
    }
}
