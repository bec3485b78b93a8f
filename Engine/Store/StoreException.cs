using GitOrch.Api.Model;

namespace GitOrch.Engine.Store;

/// <summary>
/// A refused store operation, already in the words of the Kubernetes API (reason and code), so the HTTP
/// layer, controllers and the source controller report the same failure the same way.
/// </summary>
public sealed class StoreException : Exception
{
    public StoreException(string reason, int code, string message, IReadOnlyList<StatusCause>? causes = null, ResourceKind? kind = null, string? name = null)
        : base(message)
    {
        Reason = reason;
        Code = code;
        Causes = causes ?? Array.Empty<StatusCause>();
        ResourceKind = kind;
        ObjectName = name;
    }

    public string Reason { get; }
    public int Code { get; }
    public IReadOnlyList<StatusCause> Causes { get; }
    public ResourceKind? ResourceKind { get; }
    public string? ObjectName { get; }

    public bool IsNotFound => Code == 404;
    public bool IsConflict => Code == 409 && Reason == "Conflict";
    public bool IsAlreadyExists => Code == 409 && Reason == "AlreadyExists";

    /// <summary>The predicate <see cref="GitOrch.Api.Retry.ConflictRetry"/> takes for store writes: a lost optimistic-concurrency race.</summary>
    public static bool IsConflictError(Exception e) => e is StoreException { IsConflict: true };

    public static StoreException NotFound(ResourceKind kind, string name)
        => new("NotFound", 404, $"{kind.Plural} \"{name}\" not found", null, kind, name);

    public static StoreException AlreadyExists(ResourceKind kind, string name)
        => new("AlreadyExists", 409, $"{kind.Plural} \"{name}\" already exists", null, kind, name);

    public static StoreException Conflict(ResourceKind kind, string name)
        => new("Conflict", 409, $"Operation cannot be fulfilled on {kind.Plural} \"{name}\": the object has been modified; please apply your changes to the latest version and try again", null, kind, name);

    public static StoreException Invalid(ResourceKind kind, string? name, IReadOnlyList<StatusCause> causes)
        => new("Invalid", 422, $"{kind.Kind} \"{name}\" is invalid: {string.Join(", ", causes.Select(c => c.Field + ": " + c.Message))}", causes, kind, name);

    public static StoreException Gone(long revision, long oldest)
        => new("Expired", 410, $"too old resource version: {revision} ({oldest})");

    /// <summary>A watcher that stopped reading and was ended; the client relists, as after any 410.</summary>
    public static StoreException FellBehind(int events, long bytes)
        => new("Expired", 410, $"watch closed: the client fell behind ({events} events, {bytes / 1024} KiB not read); list again");

    public static StoreException Forbidden(string message, ResourceKind? kind = null, string? name = null)
        => new("Forbidden", 403, message, null, kind, name);

    public static StoreException BadRequest(string message)
        => new("BadRequest", 400, message);

    public Status ToStatus() => new()
    {
        Outcome = "Failure",
        Message = Message,
        Reason = Reason,
        Code = Code,
        Details = ResourceKind == null && ObjectName == null && Causes.Count == 0 ? null : new StatusDetails
        {
            Name = ObjectName,
            Group = ResourceKind?.Group,
            Kind = ResourceKind?.Plural,
            Causes = Causes.Count == 0 ? null : Causes.ToList(),
        },
    };
}
