using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using System.Threading.Tasks;
using GitOrch.Api.Client;
using GitOrch.Api.Model;
using GitOrch.Module.Connection;

namespace GitOrch.Module.Infrastructure;

/// <summary>
/// Tab completion from the live server: -Name completes names of the kind the cmdlet's noun names (Get-Pod: pods,
/// Undo-Deployment: deployments, Get-GitOrchObject: the -Kind given), -Namespace completes namespaces, -Node nodes,
/// -Source GitSources and -Kind the kinds GitOrch serves. A server that does not answer within two seconds gives
/// no completions rather than a hung prompt.
/// </summary>
public sealed class GitOrchCompleter : IArgumentCompleter
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2);

    private static readonly Dictionary<string, ResourceKind> NounKinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Pod"] = ResourceKinds.Pod,
        ["PodLog"] = ResourceKinds.Pod,
        ["Deployment"] = ResourceKinds.Deployment,
        ["DeploymentRevision"] = ResourceKinds.Deployment,
        ["Node"] = ResourceKinds.Node,
        ["Service"] = ResourceKinds.Service,
        ["GitOrchSource"] = ResourceKinds.GitSource,
        ["GitOrchPreview"] = ResourceKinds.GitSource,
        ["DaemonSet"] = ResourceKinds.DaemonSet,
        ["StatefulSet"] = ResourceKinds.StatefulSet,
        ["Job"] = ResourceKinds.Job,
        ["CronJob"] = ResourceKinds.CronJob,
    };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = (wordToComplete ?? "").Trim('\'', '"');
        IEnumerable<string> candidates;
        if (string.Equals(parameterName, "Kind", StringComparison.OrdinalIgnoreCase))
        {
            candidates = ResourceKinds.All.Select(k => k.Kind);
        }
        else
        {
            var kind = KindFor(commandName, parameterName, fakeBoundParameters);
            if (kind == null)
            {
                return Array.Empty<CompletionResult>();
            }

            var ns = kind.Namespaced && fakeBoundParameters?["Namespace"] is { } n ? n.ToString() : null;
            candidates = Names(kind, ns);
        }

        return candidates
            .Where(c => c.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .OrderBy(c => c, StringComparer.OrdinalIgnoreCase)
            .Select(c => new CompletionResult(c, c, CompletionResultType.ParameterValue, c))
            .ToList();
    }

    private static ResourceKind? KindFor(string commandName, string parameterName, IDictionary fakeBoundParameters)
    {
        switch (parameterName.ToLowerInvariant())
        {
            case "namespace":
                return ResourceKinds.Namespace;
            case "node":
                return ResourceKinds.Node;
            case "source":
                return ResourceKinds.GitSource;
        }

        var noun = commandName.Contains("-") ? commandName.Substring(commandName.IndexOf('-') + 1) : commandName;
        if (noun.EndsWith("GitOrchObject", StringComparison.OrdinalIgnoreCase))
        {
            return fakeBoundParameters?["Kind"] is { } k && ResourceKinds.TryFindByName(k.ToString(), out var found) ? found : null;
        }

        // Longest noun that ends the command's noun, so an import prefix (Get-GoPodLog) still completes.
        return NounKinds.Where(n => noun.EndsWith(n.Key, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(n => n.Key.Length)
            .Select(n => n.Value)
            .FirstOrDefault();
    }

    private static IEnumerable<string> Names(ResourceKind kind, string? ns)
    {
        try
        {
            var context = ContextResolver.Resolve();
            var client = ClientCache.For(context);
            using var cts = new CancellationTokenSource(Deadline);

            // Off the pipeline thread: completion runs inside PowerShell's own context, which must not be re-entered.
            var list = Task.Run(() => client.ListAsync(kind, kind.Namespaced ? ns ?? context.Namespace : null, null, cts.Token)).GetAwaiter().GetResult();
            return list.Items.Select(i => i.Name).Distinct().ToList();
        }
        catch (Exception)
        {
            return Array.Empty<string>();
        }
    }
}
