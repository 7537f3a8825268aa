using Loupe.Api.RateLimiting;
using Loupe.Api.Security;
using Loupe.Application.Organizations.Queries.GetInvitationByToken;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Loupe.Api.Features;

/// <summary>An invitation read by whoever holds its token, before they have an account (the sign-up page).</summary>
internal sealed class InvitationEndpoints : IEndpointModule
{
    public void MapEndpoints(IEndpointRouteBuilder api) =>
        api.MapGet("/invitations/{token}", async Task<Ok<PendingInvitationDto>> (string token, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetInvitationByTokenQuery(token), ct)))
            .WithTags("Auth")
            .RequireRateLimiting(RateLimitPolicies.Auth)
            .ForAnonymousCallers()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("A pending invitation by its token (no sign-in): organization, inviter, email, role and expiry; unknown, used, expired or revoked tokens are the same 404 invitation.not_found");
}
