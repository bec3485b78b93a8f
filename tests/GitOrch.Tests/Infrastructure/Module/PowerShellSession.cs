using Xunit;
using System.Collections;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using GitOrch.Tests.Infrastructure;

namespace GitOrch.Tests.Infrastructure.Module;

/// <summary>
/// A hosted PowerShell runspace that imported ./GitOrch.psd1 from the repository root, as a user would after the
/// build. GITORCH_CONFIG points at a private temp file so tests never read or write the real user's config;
/// GITORCH_SERVER/GITORCH_TOKEN are cleared (environment variables are per process: module tests run in one
/// collection, one at a time).
/// </summary>
public sealed class PowerShellSession : IDisposable
{
    private static readonly string[] ClearedVariables = { "GITORCH_SERVER", "GITORCH_TOKEN", "GITORCH_EXE" };
    private readonly TempDirectory _dir = new("gitorch-ps");
    private readonly Runspace _runspace;

    public PowerShellSession()
    {
        ConfigPath = Path.Combine(_dir.Path, "config.json");
        Environment.SetEnvironmentVariable("GITORCH_CONFIG", ConfigPath);
        foreach (var name in ClearedVariables)
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        _runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        _runspace.Open();
        var import = Run("$ExecutionContext.SessionState.Path.SetLocation($root) | Out-Null; Import-Module ./GitOrch.psd1 -ErrorAction Stop -PassThru", new Hashtable { ["root"] = RepoRoot });
        import.ThrowOnError();
        Module = (PSModuleInfo)import.Output.Single().BaseObject;
    }

    public static string RepoRoot { get; } = FindRepoRoot();

    public string ConfigPath { get; }

    public string TempPath => _dir.Path;

    public PSModuleInfo Module { get; }

    /// <summary>Runs a script; variables are set in the session first. Non-terminating errors are collected, a terminating one is captured too.</summary>
    public RunResult Run(string script, IDictionary? variables = null)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        SetVariables(variables);
        ps.AddScript(script);
        Exception? terminating = null;
        Collection<PSObject> output;
        try
        {
            output = ps.Invoke();
        }
        catch (RuntimeException e)
        {
            terminating = e;
            output = new Collection<PSObject>();
        }

        return new RunResult(output, ps.Streams.Error.ToList(), ps.Streams.Warning.Select(w => w.Message).ToList(), ps.Streams.Progress.ToList(), terminating);
    }

    /// <summary>Starts a script without waiting (e.g. Wait-Deployment while the test changes the world); stop or await it through the handle.</summary>
    public RunningScript Start(string script, IDictionary? variables = null)
    {
        var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        SetVariables(variables);
        ps.AddScript(script);
        return new RunningScript(ps);
    }

    /// <summary>Points the module at an engine without going through Connect-GitOrch (whose own tests cover it).</summary>
    /// <summary>Points the module at <paramref name="server"/> with <paramref name="token"/>, trusting the CA in <paramref name="caFile"/>.</summary>
    public void UseEngine(Uri server, string token, string caFile)
    {
        File.WriteAllText(ConfigPath, System.Text.Json.JsonSerializer.Serialize(new { server = server.ToString().TrimEnd('/'), token, certificateAuthority = caFile }));
    }

    public void UseEngine(TestEngine engine) => UseEngine(engine.BaseUrl, engine.AdminToken, engine.CaFile);

    public void Dispose()
    {
        _runspace.Dispose();
        Environment.SetEnvironmentVariable("GITORCH_CONFIG", null);
        _dir.Dispose();
    }

    private void SetVariables(IDictionary? variables)
    {
        if (variables == null)
        {
            return;
        }

        foreach (DictionaryEntry v in variables)
        {
            _runspace.SessionStateProxy.SetVariable((string)v.Key, v.Value);
        }
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GitOrch.psd1")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("GitOrch.psd1 not found above " + AppContext.BaseDirectory);
    }
}

public sealed record RunResult(Collection<PSObject> Output, List<ErrorRecord> Errors, List<string> Warnings, List<ProgressRecord> Progress, Exception? Terminating)
{
    public IEnumerable<T> Objects<T>() => Output.Select(o => o.BaseObject).OfType<T>();

    public ErrorRecord? TerminatingRecord => (Terminating as IContainsErrorRecord)?.ErrorRecord;

    /// <summary>Every error, terminating or not.</summary>
    public IEnumerable<ErrorRecord> AllErrors => TerminatingRecord == null ? Errors : Errors.Append(TerminatingRecord);

    public RunResult ThrowOnError()
    {
        var first = AllErrors.FirstOrDefault();
        if (first != null)
        {
            throw new InvalidOperationException($"PowerShell failed: {first.FullyQualifiedErrorId}: {first.Exception?.Message}", first.Exception);
        }

        return this;
    }
}

public sealed class RunningScript : IDisposable
{
    private readonly PowerShell _ps;
    private readonly IAsyncResult _handle;
    private readonly PSDataCollection<PSObject> _output = new();

    public RunningScript(PowerShell ps)
    {
        _ps = ps;
        _handle = ps.BeginInvoke<PSObject, PSObject>(null, _output);
    }

    public PSDataCollection<ProgressRecord> Progress => _ps.Streams.Progress;

    /// <summary>Output so far, while the script still runs.</summary>
    public PSDataCollection<PSObject> Output => _output;

    public bool IsCompleted => _handle.IsCompleted;

    public async Task<RunResult> WaitAsync(TimeSpan timeout)
    {
        var done = await Task.Run(() => _handle.AsyncWaitHandle.WaitOne(timeout));
        if (!done)
        {
            _ps.Stop();
            throw new TimeoutException("script did not finish within " + timeout);
        }

        Exception? terminating = null;
        try
        {
            _ps.EndInvoke(_handle);
        }
        catch (RuntimeException e)
        {
            terminating = e;
        }

        return new RunResult(new Collection<PSObject>(_output.ToList()), _ps.Streams.Error.ToList(), _ps.Streams.Warning.Select(w => w.Message).ToList(), _ps.Streams.Progress.ToList(), terminating);
    }

    /// <summary>Ctrl+C: what StopProcessing sees.</summary>
    public void Stop() => _ps.Stop();

    public void Dispose()
    {
        _ps.Dispose();
        _output.Dispose();
    }
}
