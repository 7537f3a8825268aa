namespace Loupe.Application.Common.Exceptions;

/// <summary>
/// The problem <c>code</c>s that are not a domain rule's own: the request's shape, the caller, the
/// protocol and Loupe's own state. Domain rules name theirs in their aggregate's errors catalog
/// (<c>RunErrors</c>, <c>UserErrors</c>, …). Every code a client can receive is listed in docs/errors.md.
/// </summary>
public static class ErrorCodes
{
    /// <summary>One or more fields are invalid; <c>errors</c> says which and why.</summary>
    public const string ValidationFailed = "validation_failed";

    /// <summary>The body is missing, or is not the JSON this endpoint reads.</summary>
    public const string InvalidBody = "invalid_body";

    /// <summary>The query string names a parameter the endpoint does not read.</summary>
    public const string UnknownQueryParameter = "unknown_query_parameter";

    /// <summary>Any other request the server could not understand.</summary>
    public const string BadRequest = "bad_request";

    /// <summary>No credential was sent (or, on sign-in, a wrong email or password).</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>The access token was Loupe's and well signed, but its lifetime is over: refresh it.</summary>
    public const string TokenExpired = "auth.token_expired";

    /// <summary>The access token is not one Loupe accepts (forged, malformed, for another audience) or its session has ended.</summary>
    public const string TokenInvalid = "auth.token_invalid";

    /// <summary>The API key is unknown, revoked or its creator has left.</summary>
    public const string ApiKeyInvalid = "auth.api_key_invalid";

    public const string Forbidden = "forbidden";

    public const string NotFound = "not_found";

    public const string MethodNotAllowed = "method_not_allowed";

    /// <summary>A conflict with the current state that has no more specific code.</summary>
    public const string Conflict = "conflict";

    /// <summary>Someone else saved the same resource in between; reload it and try again.</summary>
    public const string ConcurrentChange = "concurrent_change";

    /// <summary>A unique value (a name, an address) is already taken by another resource.</summary>
    public const string Duplicate = "duplicate";

    /// <summary>Another resource refers to this one, or the one this refers to is gone.</summary>
    public const string ReferenceConflict = "reference_conflict";

    public const string Gone = "gone";

    public const string PreconditionFailed = "precondition_failed";

    /// <summary>A change of a resource that is only changed conditionally came without <c>If-Match</c>.</summary>
    public const string PreconditionRequired = "precondition_required";

    public const string PayloadTooLarge = "payload_too_large";

    public const string UnsupportedMediaType = "unsupported_media_type";

    public const string RateLimited = "rate_limited";

    public const string InternalError = "internal_error";

    /// <summary>Loupe's own database is out of reach for a moment.</summary>
    public const string DatabaseUnavailable = "database.unavailable";

    /// <summary>Some other part Loupe needs is not ready (a health probe's answer).</summary>
    public const string ServiceUnavailable = "service_unavailable";
}
