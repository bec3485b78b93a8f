using System;
using System.Text;
using System.Text.Json;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;

namespace GitOrch.Api.Client;

/// <summary>Turns an error response into a <see cref="GitOrchApiException"/>, also when a proxy answered with something that is not a Status.</summary>
internal static class StatusDecoder
{
    public static GitOrchApiException ToException(int code, byte[] body)
    {
        Status? status = null;
        try
        {
            if (body.Length > 0 && body[0] == (byte)'{')
            {
                status = JsonSerializer.Deserialize<Status>(body, KubeJson.Options);
            }
        }
        catch (JsonException)
        {
            status = null;
        }

        if (status == null || status.Kind != "Status")
        {
            var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 512)).Trim();
            status = new Status
            {
                Outcome = "Failure",
                Code = code,
                Reason = ReasonFor(code),
                Message = text.Length == 0 ? ReasonFor(code) + " (" + code + ")" : text,
            };
        }

        if (status.Code == 0)
        {
            status.Code = code;
        }

        status.Reason ??= ReasonFor(code);
        return new GitOrchApiException(status);
    }

    public static string ReasonFor(int code) => code switch
    {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        409 => "Conflict",
        410 => "Expired",
        415 => "UnsupportedMediaType",
        422 => "Invalid",
        429 => "TooManyRequests",
        503 => "ServiceUnavailable",
        504 => "Timeout",
        _ => "InternalError",
    };
}
