using Loupe.Application.Common.Security;

namespace Loupe.Api.Security;

/// <summary>The origin of the current HTTP request: client address (after trusted proxies), user agent, Loupe's and the client's request ids.</summary>
internal sealed class HttpRequestOrigin(IHttpContextAccessor accessor) : IRequestOrigin
{
    public const string ApiKeyClaim = "api_key_id";

    public string? IpAddress => accessor.HttpContext?.Connection.RemoteIpAddress?.ToString();

    public string? UserAgent => accessor.HttpContext?.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null;

    public string? RequestId => accessor.HttpContext?.TraceIdentifier;

    public string? ClientRequestId => accessor.HttpContext is { } context ? Http.RequestIdMiddleware.ClientRequestIdOf(context) : null;

    public Guid? ApiKeyId =>
        accessor.HttpContext is { } http && !AnonymousCaller.IsOn(http)
        && Guid.TryParse(http.User.FindFirst(ApiKeyClaim)?.Value, out var id) ? id : null;
}
