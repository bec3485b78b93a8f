using System.Diagnostics;
using System.Text;

namespace GitOrch.Tests.Infrastructure.Kubectl;

/// <summary>
/// A real kubectl run against an Engine with nothing but <c>KUBECONFIG=&lt;data-dir&gt;/kubeconfig.yaml</c>: either the
/// current kubectl on PATH or Debian's kubectl 1.20 that scripts/setup.sh unpacked (not installed) into
/// <c>/var/lib/gitorch-setup/kubectl-1.20/</c>. Every run has a deadline; a run past it is killed and fails.
/// </summary>
public sealed class Kubectl
{
    public const string Current = "current";
    public const string V120 = "1.20";

    private Kubectl(string flavour, string executable, string kubeconfig)
    {
        Flavour = flavour;
        Executable = executable;
        Kubeconfig = kubeconfig;
    }

    /// <summary><see cref="Current"/> or <see cref="V120"/>.</summary>
    public string Flavour { get; }

    public string Executable { get; }

    public string Kubeconfig { get; }

    /// <summary>The kubectl of <paramref name="flavour"/>, talking to the Engine of <paramref name="kubeconfig"/>.</summary>
    public static Kubectl For(string flavour, string kubeconfig) => new(flavour, ExecutableOf(flavour), kubeconfig);

    public Task<KubectlResult> RunAsync(params string[] args) => RunAsync(TimeSpan.FromSeconds(60), args);

    public async Task<KubectlResult> RunAsync(TimeSpan timeout, params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{Describe(args)}` ran past {timeout.TotalSeconds:0} s\nstdout: {await stdout}\nstderr: {await stderr}");
        }

        return new KubectlResult(Describe(args), process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// A long-running command (<c>get -w</c>, <c>logs -f</c>): reads its output until <paramref name="done"/> holds for
    /// what it printed so far, then stops it. Fails naming the command and its output when the deadline passes first.
    /// </summary>
    public async Task<string> StreamUntilAsync(Func<string, bool> done, TimeSpan timeout, params string[] args)
    {
        using var process = Start(args);
        var text = new StringBuilder();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (!done(text.ToString()))
            {
                var line = await process.StandardOutput.ReadLineAsync(deadline.Token);
                if (line == null)
                {
                    break;
                }

                text.Append(line).Append('\n');
            }
        }
        catch (OperationCanceledException)
        {
            // Reported below with what arrived.
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return done(text.ToString()) ? text.ToString()
            : throw new TimeoutException($"`{Describe(args)}` did not print what was expected within {timeout.TotalSeconds:0} s\nstdout: {text}\nstderr: {await stderr}");
    }

    private Process Start(string[] args)
    {
        var psi = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        // Only the kubeconfig: no flags for server, CA or token, exactly as a user runs it.
        psi.Environment["KUBECONFIG"] = Kubeconfig;
        return Process.Start(psi) ?? throw new InvalidOperationException($"{Executable} did not start");
    }

    private string Describe(string[] args) => $"kubectl({Flavour}) {string.Join(" ", args)}";

    private static string ExecutableOf(string flavour)
    {
        if (flavour == V120)
        {
            var setup = Environment.GetEnvironmentVariable("GITORCH_SETUP_DIR") ?? "/var/lib/gitorch-setup";
            var path = Path.Combine(setup, "kubectl-1.20", "usr", "bin", "kubectl");
            return File.Exists(path) ? path : throw new FileNotFoundException($"kubectl 1.20 is not at {path}: run scripts/setup.sh (it unpacks Debian's kubernetes-client there)", path);
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "kubectl"))
            .FirstOrDefault(File.Exists);
        return onPath ?? throw new FileNotFoundException("no kubectl on PATH (the tests drive the current kubectl there and Debian's 1.20)");
    }
}
