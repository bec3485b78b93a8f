using System;
using System.Management.Automation;
using System.Net.Http;
using GitOrch.Api.Client;
using GitOrch.Api.Model;

namespace GitOrch.Module.Infrastructure;

/// <summary>
/// The module's error records. Ids are stable (scripts catch them by FullyQualifiedErrorId):
/// <c>{Kind}NotFound</c>, <c>Api{Reason}</c> (ApiConflict, ApiAlreadyExists, ApiInvalid, ApiUnauthorized, ...),
/// <c>ServerUnreachable</c>, <c>RequestTimeout</c>, <c>WaitTimeout</c>, and the cmdlet-specific ids below.
/// </summary>
public static class GitOrchErrors
{
    public const string ServerUnreachable = "ServerUnreachable";
    public const string CertificateRejected = "EngineCertificateRejected";
    public const string RequestTimeout = "RequestTimeout";
    public const string WaitTimeout = "WaitTimeout";
    public const string SourceAmbiguous = "GitSourceAmbiguous";
    public const string NotManagedByGit = "NotManagedByGit";
    public const string RevisionNotFound = "RevisionNotFound";
    public const string InvalidArgument = "InvalidArgument";
    public const string ExecutableNotFound = "GitOrchExecutableNotFound";
    public const string EngineStartFailed = "EngineStartFailed";
    public const string EngineNotRunning = "EngineNotRunning";
    public const string InvalidConfig = "InvalidConfig";

    public static string NotFoundId(ResourceKind kind) => kind.Kind + "NotFound";

    public static ErrorRecord NotFound(ResourceKind kind, string name, string? ns)
    {
        var where = kind.Namespaced && ns != null ? $" in namespace \"{ns}\"" : "";
        var e = new ItemNotFoundException($"{kind.Kind} \"{name}\" was not found{where}.");
        return new ErrorRecord(e, NotFoundId(kind), ErrorCategory.ObjectNotFound, name);
    }

    public static ErrorRecord FromApi(GitOrchApiException e, object? target, ResourceKind? kind = null)
    {
        if (e.IsNotFound && kind != null)
        {
            return new ErrorRecord(e, NotFoundId(kind), ErrorCategory.ObjectNotFound, target);
        }

        var reason = string.IsNullOrEmpty(e.Reason) ? "Error" : e.Reason!;
        var record = new ErrorRecord(e, "Api" + reason, CategoryOf(e), target);
        if (e.Causes.Count > 0)
        {
            var details = string.Join("; ", System.Linq.Enumerable.Select(e.Causes, c => string.IsNullOrEmpty(c.Field) ? c.Message : c.Field + ": " + c.Message));
            record.ErrorDetails = new ErrorDetails(e.Message + " (" + details + ")");
        }

        return record;
    }

    public static ErrorRecord FromException(Exception e, object? target, string? server)
    {
        switch (e)
        {
            case GitOrchApiException api:
                return FromApi(api, target);
            case Api.Client.Tls.EngineCertificateException tls:
                return new ErrorRecord(new System.Security.SecurityException($"Refusing the GitOrch engine at {server}: {tls.Message}.", tls), CertificateRejected, ErrorCategory.SecurityError, server);
            case HttpRequestException http:
                return new ErrorRecord(
                    new HttpRequestException($"Cannot reach the GitOrch engine at {server}: {http.Message}. Start one with Start-GitOrch or connect with Connect-GitOrch.", http),
                    ServerUnreachable, ErrorCategory.ConnectionError, server);
            case OperationCanceledException oce:
                return new ErrorRecord(new TimeoutException($"The request to {server} timed out.", oce), RequestTimeout, ErrorCategory.OperationTimeout, target);
            case System.IO.InvalidDataException bad:
                return new ErrorRecord(bad, InvalidConfig, ErrorCategory.InvalidData, target);
            default:
                return new ErrorRecord(e, e.GetType().Name, ErrorCategory.NotSpecified, target);
        }
    }

    public static ErrorRecord Create(string id, ErrorCategory category, object? target, string message)
        => new(new InvalidOperationException(message), id, category, target);

    private static ErrorCategory CategoryOf(GitOrchApiException e) => e.Code switch
    {
        400 => ErrorCategory.InvalidArgument,
        401 => ErrorCategory.AuthenticationError,
        403 => ErrorCategory.PermissionDenied,
        404 => ErrorCategory.ObjectNotFound,
        409 when e.IsAlreadyExists => ErrorCategory.ResourceExists,
        409 => ErrorCategory.ResourceBusy,
        410 => ErrorCategory.InvalidOperation,
        422 => ErrorCategory.InvalidData,
        429 or 503 => ErrorCategory.ResourceUnavailable,
        504 => ErrorCategory.OperationTimeout,
        _ => ErrorCategory.NotSpecified,
    };
}
