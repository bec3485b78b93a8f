using GitOrch.Api.Model;

namespace GitOrch.Engine.Http;

/// <summary>A request refused by the HTTP layer itself (bad path, bad body, wrong media type): answered as a Status.</summary>
public sealed class ApiException : Exception
{
    public ApiException(int code, string reason, string message)
        : base(message)
    {
        Code = code;
        Reason = reason;
    }

    public int Code { get; }
    public string Reason { get; }

    public Status ToStatus() => new() { Outcome = "Failure", Code = Code, Reason = Reason, Message = Message };

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException NotFound(string message) => new(404, "NotFound", message);

    public static ApiException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    public static ApiException UnsupportedMediaType(string contentType)
        => new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json, application/merge-patch+json, application/strategic-merge-patch+json, application/json-patch+json, application/apply-patch+yaml (got \"{contentType}\")");
}
