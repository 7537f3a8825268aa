using System.Security.Claims;
using System.Text.Encodings.Web;
using Loupe.Api.Problems;
using Loupe.Application.ApiKeys.Queries.AuthenticateApiKey;
using Loupe.Application.Common.Exceptions;
using Loupe.Infrastructure.Security.Tokens;
using MediatR;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Loupe.Api.Security;

/// <summary>
/// Authenticates <c>X-API-Key: lp_ak_…</c> or <c>Authorization: Bearer lp_ak_…</c>. The key acts
/// as its creator, in its organization, with the key's role; it has no session.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var secret = AnonymousCaller.IsOn(Context) ? null : ReadSecret(Request);
        if (secret is null)
        {
            return AuthenticateResult.NoResult();
        }

        var mediator = Context.RequestServices.GetRequiredService<IMediator>();
        var identity = await mediator.Send(new AuthenticateApiKeyQuery(secret), Context.RequestAborted).ConfigureAwait(false);
        if (identity is null)
        {
            return AuthenticateResult.Fail("The API key is unknown or revoked.");
        }

        var claims = new List<Claim>
        {
            new(AccessTokenClaimNames.Subject, identity.UserId.ToString()),
            new(AccessTokenClaimNames.Organization, identity.OrganizationId.ToString()),
            new(AccessTokenClaimNames.Role, identity.Role.ToString().ToLowerInvariant()),
            new(HttpRequestOrigin.ApiKeyClaim, identity.ApiKeyId.ToString()),
        };
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name, AccessTokenClaimNames.Subject, AccessTokenClaimNames.Role));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // A key never expires into a refresh: it is invalid (unknown, revoked, its creator gone) or it is not.
        Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\", error_description=\"The API key is invalid or revoked\"";
        await Context.WriteProblemAsync(new ProblemDetails
        {
            Status = StatusCodes.Status401Unauthorized,
            Title = "Unauthorized",
            Detail = "The API key is invalid or revoked.",
            Type = "https://tools.ietf.org/html/rfc9110#section-15.5.2",
            Extensions = { [ExceptionToProblemHandler.CodeKey] = ErrorCodes.ApiKeyInvalid },
        }).ConfigureAwait(false);
    }

    private static string? ReadSecret(HttpRequest request)
    {
        if (request.Headers[LoupeAuthenticationSchemes.ApiKeyHeader].ToString() is { Length: > 0 } header)
        {
            return header.Trim();
        }

        var authorization = request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        return authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) ? authorization[bearer.Length..].Trim() : null;
    }
}
