using System;
using System.Collections.Generic;
using System.Net;
using GitOrch.Api.Model;

namespace GitOrch.Api.Client;

/// <summary>
/// A call the Engine refused (or could not answer). Carries the decoded Kubernetes <see cref="Model.Status"/> so
/// callers branch on <see cref="Reason"/>/<see cref="Code"/> ("Conflict", 409) instead of parsing messages.
/// </summary>
public sealed class GitOrchApiException : Exception
{
    public GitOrchApiException(Status status, Exception? inner = null)
        : base(status.Message ?? status.Reason ?? "request failed (" + status.Code + ")", inner)
    {
        Status = status;
    }

    public Status Status { get; }

    /// <summary>HTTP status code, e.g. 409.</summary>
    public int Code => Status.Code;

    /// <summary>Kubernetes reason, e.g. NotFound, AlreadyExists, Conflict, Invalid, Expired, Forbidden, Unauthorized.</summary>
    public string? Reason => Status.Reason;

    public HttpStatusCode StatusCode => (HttpStatusCode)Status.Code;

    public IReadOnlyList<StatusCause> Causes => (IReadOnlyList<StatusCause>?)Status.Details?.Causes ?? Array.Empty<StatusCause>();

    public bool IsNotFound => Code == 404;
    public bool IsConflict => Code == 409 && Reason == "Conflict";
    public bool IsAlreadyExists => Code == 409 && Reason == "AlreadyExists";

    /// <summary>410: the watch's resourceVersion left the server's history; list again and watch from the list's version.</summary>
    public bool IsGone => Code == 410;
}
