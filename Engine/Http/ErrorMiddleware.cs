using System.Text.Json;
using GitOrch.Api.Model;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Http;

/// <summary>
/// Maps every failure to a Kubernetes Status with the right code, in one place: handlers just throw.
/// The store already speaks in Kubernetes reasons (StoreException), so its errors pass through unchanged.
/// </summary>
internal sealed partial class ErrorMiddleware(RequestDelegate next, ILogger<ErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);

            // Nothing matched (or only another method did): answer with a Status too, not an empty body.
            if (!context.Response.HasStarted && context.Response.StatusCode is 404 or 405 && context.Response.ContentLength is null or 0 && context.Response.ContentType == null)
            {
                var code = context.Response.StatusCode;
                await ApiResponses.WriteStatusAsync(context, code == 404
                    ? new ApiException(404, "NotFound", $"the server could not find the requested resource ({context.Request.Path})").ToStatus()
                    : new ApiException(405, "MethodNotAllowed", $"{context.Request.Method} is not supported on {context.Request.Path}").ToStatus());
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away (a watcher disconnecting, an agent stopping): nothing failed on our side.
        }
        catch (Exception e) when (!context.Response.HasStarted && ToStatus(e, context) is { } status)
        {
            // A request cut short by shutdown answers 503 but is not a fault worth an error in the log.
            if (status.Code >= 500 && e is not OperationCanceledException)
            {
                LogInternalError(logger, context.Request.Method, context.Request.Path, e);
            }

            context.Response.Clear();
            await ApiResponses.WriteStatusAsync(context, status);
        }
    }

    internal static Status? ToStatus(Exception e, HttpContext context) => e switch
    {
        StoreException s => s.ToStatus(),
        ApiException a => a.ToStatus(),
        GitOrch.Engine.Patching.PatchException p => p.Malformed ? Bad(p.Message) : new Status { Outcome = "Failure", Code = 422, Reason = "Invalid", Message = p.Message },
        JsonException j => Bad("the request body is not valid JSON: " + j.Message),
        BadHttpRequestException b => new Status { Outcome = "Failure", Code = b.StatusCode, Reason = b.StatusCode == 400 ? "BadRequest" : "RequestEntityTooLarge", Message = b.Message },
        FormatException f => Bad(f.Message),
        OperationCanceledException when context.RequestAborted.IsCancellationRequested => null,
        OperationCanceledException => new Status { Outcome = "Failure", Code = 503, Reason = "ServiceUnavailable", Message = "the server is shutting down" },
        _ => new Status { Outcome = "Failure", Code = 500, Reason = "InternalError", Message = "Internal error occurred: " + e.Message },
    };

    private static Status Bad(string message) => new() { Outcome = "Failure", Code = 400, Reason = "BadRequest", Message = message };

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogInternalError(ILogger logger, string method, string path, Exception exception);
}
