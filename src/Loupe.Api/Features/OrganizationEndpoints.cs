using Loupe.Api.Http;
using Loupe.Api.Security;
using Loupe.Application.Audit.Queries.ListAuditEvents;
using Loupe.Application.Common.Paging;
using Loupe.Application.Organizations.Commands.ChangeUserRole;
using Loupe.Application.Organizations.Commands.CreateInvitation;
using Loupe.Application.Organizations.Commands.RemoveUser;
using Loupe.Application.Organizations.Commands.RevokeInvitation;
using Loupe.Application.Organizations.Commands.UpdateOrganization;
using Loupe.Application.Organizations.Queries.GetOrganization;
using Loupe.Application.Organizations.Queries.GetUsage;
using Loupe.Application.Organizations.Queries.ListInvitations;
using Loupe.Application.Organizations.Queries.ListUsers;
using Loupe.Domain.Invitations;
using Loupe.Domain.Organizations;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Loupe.Api.Features;

/// <summary>The organization, its members and invitations, and the audit trail.</summary>
internal sealed class OrganizationEndpoints : IEndpointModule
{
    public void MapEndpoints(IEndpointRouteBuilder api)
    {
        var organization = api.MapGroup("/organization").WithTags("Organization");

        organization.MapGet(string.Empty, async Task<Ok<OrganizationDto>> (IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new GetOrganizationQuery(), ct)));

        organization.MapPatch(string.Empty, async Task<Ok<OrganizationDto>> (UpdateOrganizationRequest body, IMediator mediator, CancellationToken ct) =>
        {
            await mediator.Send(body.ToCommand(), ct);
            return TypedResults.Ok(await mediator.Send(new GetOrganizationQuery(), ct));
        }).RefusesApiKeys();

        organization.MapGet("/usage", async Task<Ok<UsageDto>> (IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new GetUsageQuery(), ct)));

        organization.MapGet("/users", async Task<Ok<PagedResult<UserDto>>> (RawQuery query, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new ListUsersQuery(query.Values), ct)))
            .AcceptsQuery(ListQueryParameters.PagedAnd(ListQueryParameters.Text, ListQueryParameters.CreatedAfter, ListQueryParameters.CreatedBefore, ListQueryParameters.Role));

        organization.MapPut("/users/{id:guid}/role", async Task<Ok<UserDto>> (Guid id, RoleChange body, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new ChangeUserRoleCommand(id, body.Role), ct)))
            .WithSummary("Change a member's role and answer the member; the last admin cannot be demoted").RefusesApiKeys();

        organization.MapDelete("/users/{id:guid}", async Task<NoContent> (Guid id, IMediator mediator, CancellationToken ct) =>
        {
            await mediator.Send(new RemoveUserCommand(id), ct);
            return TypedResults.NoContent();
        }).WithSummary("Remove a member; the last admin cannot be removed").RefusesApiKeys();

        organization.MapPost("/invitations", async Task<Created<CreatedInvitationDto>> (CreateInvitationCommand command, IMediator mediator, CancellationToken ct) =>
        {
            var created = await mediator.Send(command, ct);
            return TypedResults.Created($"/api/v1/organization/invitations/{created.Id}", created);
        }).WithSummary($"Invite an email address with a role for {Invitation.LifetimeDays} days").RefusesApiKeys();

        organization.MapGet("/invitations", async Task<Ok<PagedResult<InvitationDto>>> (RawQuery query, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new ListInvitationsQuery(query.Values), ct))).RefusesApiKeys()
            .AcceptsQuery(ListQueryParameters.PagedAnd(ListQueryParameters.CreatedAfter, ListQueryParameters.CreatedBefore, ListQueryParameters.Status));

        organization.MapDelete("/invitations/{id:guid}", async Task<NoContent> (Guid id, IMediator mediator, CancellationToken ct) =>
        {
            await mediator.Send(new RevokeInvitationCommand(id), ct);
            return TypedResults.NoContent();
        }).RefusesApiKeys();

        api.MapGet("/audit-events", async Task<Ok<PagedResult<AuditEventDto>>> (RawQuery query, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new ListAuditEventsQuery(query.Values), ct)))
            .AcceptsQuery(ListQueryParameters.PagedAnd(ListQueryParameters.OccurredAfter, ListQueryParameters.OccurredBefore, ListAuditEventsQuery.ActionFilter, ListAuditEventsQuery.ActorFilter))
            .WithTags("Audit");
    }
}

/// <summary>The body of <c>PUT /organization/users/{id}/role</c>.</summary>
internal sealed record RoleChange(Role? Role);
