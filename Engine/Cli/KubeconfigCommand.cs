using System.CommandLine;
using GitOrch.Engine.Hosting;
using GitOrch.Engine.Security.Tls;

namespace GitOrch.Engine.Cli;

/// <summary><c>gitorch kubeconfig</c>: prints the kubeconfig the Engine wrote into its data directory at its last start.</summary>
public static class KubeconfigCommand
{
    public const string Summary = "print the kubeconfig of an Engine's data directory (for kubectl and Connect-GitOrch -Kubeconfig)";

    private static readonly Option<string> DataDir = new("--data-dir")
    {
        HelpName = "DIR",
        Description = "The Engine's data directory.",
        DefaultValueFactory = _ => EngineOptions.DefaultDataDir,
    };

    public static Command Create()
    {
        var command = new Command("kubeconfig", Summary + "." + Environment.NewLine
            + "Example: gitorch kubeconfig > ~/.kube/gitorch.yaml; KUBECONFIG=~/.kube/gitorch.yaml kubectl get pods")
        {
            DataDir,
        };
        command.SetAction(result => Print(Path.GetFullPath(result.GetValue(DataDir)!)));
        return command;
    }

    public static int Print(string dataDir)
    {
        var path = Path.Combine(dataDir, TlsFiles.Kubeconfig);
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"gitorch kubeconfig: no {path}: start the engine once (gitorch server --data-dir {dataDir}); it writes the file at start");
            return 1;
        }

        Console.Write(File.ReadAllText(path));
        return 0;
    }
}
