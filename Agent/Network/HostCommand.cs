using System.Diagnostics;

namespace GitOrch.Agent.Network;

/// <summary>
/// Runs one host program (a CNI plugin, iptables-restore, ip) with optional stdin and environment, under a deadline,
/// and returns its exit code and output; the agent's one way of executing host tools.
/// </summary>
public static class HostCommand
{
    public sealed record Result(int Code, string Stdout, string Stderr)
    {
        /// <summary>What the program said, for error messages.</summary>
        public string Output => (Stdout + " " + Stderr).Trim();
    }

    public static async Task<Result> RunAsync(string file, IEnumerable<string> args, string? stdin, TimeSpan timeout, CancellationToken ct, IReadOnlyDictionary<string, string>? env = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            start.Environment[k] = v;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{file} could not be started");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new Result(127, "", $"{file}: {e.Message}");
        }

        using (process)
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(timeout);
            try
            {
                var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
                var stderr = process.StandardError.ReadToEndAsync(cts.Token);
                if (stdin != null)
                {
                    await process.StandardInput.WriteAsync(stdin.AsMemory(), cts.Token).ConfigureAwait(false);
                }

                process.StandardInput.Close();
                await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
                return new Result(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{Path.GetFileName(file)} {string.Join(' ', args)} did not finish within {timeout.TotalSeconds:0}s");
            }
        }
    }
}
