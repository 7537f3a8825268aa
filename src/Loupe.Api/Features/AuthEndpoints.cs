using Loupe.Api.Http;
using Loupe.Api.RateLimiting;
using Loupe.Api.Security;
using Loupe.Application.Auth;
using Loupe.Application.Auth.Commands.ForgotPassword;
using Loupe.Application.Auth.Commands.Login;
using Loupe.Application.Auth.Commands.Logout;
using Loupe.Application.Auth.Commands.Refresh;
using Loupe.Application.Auth.Commands.Register;
using Loupe.Application.Auth.Commands.ResetPassword;
using Loupe.Application.Auth.Commands.RevokeSession;
using Loupe.Application.Auth.Queries.ListSessions;
using Loupe.Application.Common.Paging;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Loupe.Api.Features;

/// <summary>Accounts, sign-in, refresh-token rotation, sessions and password reset.</summary>
internal sealed class AuthEndpoints : IEndpointModule
{
    public void MapEndpoints(IEndpointRouteBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Auth");
        // Account entry: whatever credentials the request carries are ignored (see AnonymousCaller).
        var limited = auth.MapGroup(string.Empty).RequireRateLimiting(RateLimitPolicies.Auth).ForAnonymousCallers();

        limited.MapPost("/register", async Task<Created<AuthTokens>> (RegisterCommand command, IMediator mediator, CancellationToken ct) =>
            TypedResults.Created("/api/v1/me", await mediator.Send(command, ct)))
            .WithSummary("Create an account, in a new organization or through an invitation");

        limited.MapPost("/login", async Task<Ok<AuthTokens>> (LoginCommand command, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(command, ct)))
            .WithSummary("Sign in with email and password");

        // Its own budget (the endpoint's policy wins over the group's): failed sign-ins from the
        // same address must not block everyone's refresh.
        limited.MapPost("/refresh", async Task<Ok<AuthTokens>> (RefreshCommand command, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(command, ct)))
            .WithSummary("Rotate the refresh token; a reused one revokes its session")
            .RequireRateLimiting(RateLimitPolicies.Refresh);

        limited.MapPost("/password/forgot", async Task<Accepted> (ForgotPasswordCommand command, IMediator mediator, CancellationToken ct) =>
        {
            await mediator.Send(command, ct);
            return TypedResults.Accepted((string?)null);
        }).WithSummary("Mail a password reset link (always 202)");

        limited.MapPost("/password/reset", async Task<NoContent> (ResetPasswordCommand command, IMediator mediator, CancellationToken ct) =>
        {
            await mediator.Send(command, ct);
            return TypedResults.NoContent();
        }).WithSummary("Set a new password with a reset token; signs every session out");

        auth.MapPost("/logout", async Task<NoContent> (IMediator mediator, CancellationToken ct) =>
        {
            await mediator.Send(new LogoutCommand(), ct);
            return TypedResults.NoContent();
        }).WithSummary("End the current session").RefusesApiKeys();

        auth.MapGet("/sessions", async Task<Ok<PagedResult<SessionDto>>> (RawQuery query, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new ListSessionsQuery(query.Values), ct)))
            .AcceptsQuery(ListQueryParameters.PagedAnd())
            .WithSummary("The caller's active sessions, most recently used first (sort by last_used_at or created_at)").RefusesApiKeys();

        auth.MapDelete("/sessions/{id:guid}", async Task<NoContent> (Guid id, IMediator mediator, CancellationToken ct) =>
        {
            await mediator.Send(new RevokeSessionCommand(id), ct);
            return TypedResults.NoContent();
        }).WithSummary("Revoke one of the caller's sessions").RefusesApiKeys();
    }
}
