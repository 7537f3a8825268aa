using Loupe.Api.Problems;
using Loupe.Application.Auth.Queries.IsSessionActive;
using Loupe.Infrastructure.Security.Tokens;
using MediatR;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Mvc;

namespace Loupe.Api.Security;

/// <summary>
/// Turns the bearer handler's 401 and 403 into problem documents. A 401 tells the cases apart, in its
/// <c>code</c> and its RFC 6750 <c>WWW-Authenticate</c> challenge, so a client knows whether to
/// refresh (<see cref="BearerChallenge"/>, which a handler's own refusal shares). Beyond that the
/// detail is generic on purpose: neither the token nor the validation failure's text reaches the client.
/// </summary>
internal sealed class BearerProblemEvents : JwtBearerEvents
{
    /// <summary>On the account-entry endpoints the token is not read: a stale or garbage one must not block signing in.</summary>
    public override Task MessageReceived(MessageReceivedContext context)
    {
        if (AnonymousCaller.IsOn(context.HttpContext))
        {
            context.NoResult();
            return Task.CompletedTask;
        }

        // The jobs dashboard's pages also take the access token from their session cookie (ADR 0070).
        JobsDashboard.JobsDashboardSession.ReadToken(context);

        return Task.CompletedTask;
    }

    /// <summary>
    /// A well-signed token is only as good as its session: signed-out or removed people are refused
    /// at once, and the role is read from the database, so a demotion takes effect at once too.
    /// </summary>
    public override async Task TokenValidated(TokenValidatedContext context)
    {
        var principal = context.Principal;
        if (!Guid.TryParse(principal?.FindFirst(AccessTokenClaimNames.Session)?.Value, out var sessionId)
            || !Guid.TryParse(principal.FindFirst(AccessTokenClaimNames.Subject)?.Value, out var userId)
            || !Guid.TryParse(principal.FindFirst(AccessTokenClaimNames.Organization)?.Value, out var organizationId))
        {
            context.Fail("The access token lacks its session, user or organization.");
            return;
        }

        var mediator = context.HttpContext.RequestServices.GetRequiredService<IMediator>();
        SessionStanding? standing;
        try
        {
            standing = await mediator.Send(new IsSessionActiveQuery(sessionId, userId, organizationId), context.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away while its session was read. Thrown on, the bearer handler would log
            // it as an error; there is nobody to answer and nothing wrong (the request's line says 499).
            context.Fail("The request was aborted before its session was read.");
            return;
        }

        if (standing is null)
        {
            context.Fail("The session of this access token has ended.");
            return;
        }

        // The role in the token is as old as the token; the one in the database is the truth.
        var claims = principal.Claims
            .Where(c => c.Type is not (AccessTokenClaimNames.Role or AccessTokenClaimNames.InstanceAdmin))
            .Append(new System.Security.Claims.Claim(AccessTokenClaimNames.Role, standing.Role.ToString().ToLowerInvariant()));
        if (standing.IsInstanceAdmin)
        {
            claims = claims.Append(new System.Security.Claims.Claim(AccessTokenClaimNames.InstanceAdmin, "true"));
        }

        var identity = (System.Security.Claims.ClaimsIdentity)principal.Identity!;
        context.Principal = new System.Security.Claims.ClaimsPrincipal(
            new System.Security.Claims.ClaimsIdentity(claims, identity.AuthenticationType, identity.NameClaimType, identity.RoleClaimType));
    }

    public override Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        // An API key that did not authenticate is challenged here too (the bearer scheme is the default challenge).
        var challenge = BearerChallenge.For(context.Request, context.AuthenticateFailure);
        context.Response.Headers.WWWAuthenticate = challenge.Header;
        return context.HttpContext.WriteProblemAsync(ExceptionToProblemHandler.Unauthenticated(challenge)).AsTask();
    }

    public override Task Forbidden(ForbiddenContext context) =>
        context.HttpContext.WriteProblemAsync(new ProblemDetails
        {
            Status = StatusCodes.Status403Forbidden,
            Title = "Forbidden",
            Detail = "You are not allowed to do this.",
            Type = "https://tools.ietf.org/html/rfc9110#section-15.5.4",
        }).AsTask();
}
