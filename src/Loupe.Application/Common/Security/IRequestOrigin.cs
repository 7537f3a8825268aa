namespace Loupe.Application.Common.Security;

/// <summary>Where the current request came from, for the audit trail and sessions.</summary>
public interface IRequestOrigin
{
    string? IpAddress { get; }

    string? UserAgent { get; }

    string? RequestId { get; }

    /// <summary>The API key that authenticated the request, if one did.</summary>
    Guid? ApiKeyId { get; }
}
