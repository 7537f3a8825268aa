namespace Loupe.Application.Common.Security;

/// <summary>Where the current request came from, for the audit trail and sessions.</summary>
public interface IRequestOrigin
{
    string? IpAddress { get; }

    string? UserAgent { get; }

    /// <summary>Loupe's own id of the request, generated for every request.</summary>
    string? RequestId { get; }

    /// <summary>The id the client sent as <c>X-Request-Id</c>, if it sent a sane one.</summary>
    string? ClientRequestId { get; }

    /// <summary>The API key that authenticated the request, if one did.</summary>
    Guid? ApiKeyId { get; }
}
