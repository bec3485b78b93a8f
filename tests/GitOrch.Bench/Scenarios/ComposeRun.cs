using System.Diagnostics;

namespace GitOrch.Bench.Scenarios;

/// <summary>Debian's docker-compose with N copies of one container (host networking, init): seconds for <c>up -d --scale</c>, then down.</summary>
internal static class ComposeRun
{
    public static async Task<double> UpAsync(string image, int replicas)
    {
        var dir = Path.Combine(Path.GetTempPath(), "gitorch-bench-compose-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "docker-compose.yml"), $"""
            version: "2.4"
            services:
              sleeper:
                image: {image}
                command: ["sleep", "3600"]
                network_mode: host
                init: true
                stop_grace_period: 1s
            """);
        try
        {
            await RunAsync(dir, "down", "-t", "0");
            var sw = Stopwatch.StartNew();
            await RunAsync(dir, "up", "-d", "--scale", $"sleeper={replicas}");
            var seconds = sw.Elapsed.TotalSeconds;
            await RunAsync(dir, "down", "-t", "0");
            return seconds;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task RunAsync(string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("docker-compose") { WorkingDirectory = dir, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-p");
        psi.ArgumentList.Add("gitorchbenche2e");
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"docker-compose {string.Join(' ', args)} failed: {await stderr}");
        }
    }
}
