using FluentValidation;
using Loupe.Api;
using Loupe.Api.Http;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Paging;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Common;
using Loupe.Domain.Organizations;
using Loupe.Domain.Users;
using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Loupe.Integration.Tests.Pipeline;

/// <summary>
/// Endpoints that exist only in the pipeline tests: they drive requests through the real host,
/// the real mediator and its behaviors, and fail in each way the error mapping must handle.
/// </summary>
internal sealed class ProbeEndpoints : IEndpointModule
{
    public const string LeakyMessage = "Password=hunter2 failed at /srv/secret/path";

    public void MapEndpoints(IEndpointRouteBuilder api)
    {
        var probe = api.MapGroup("/_probe");
        probe.MapPost("/echo", async (EchoProbeCommand command, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(command, ct)));
        probe.MapGet("/guarded", async (IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new GuardedProbeQuery(), ct)));
        probe.MapGet("/boom", string () => throw new InvalidOperationException(LeakyMessage));
        probe.MapGet("/conflict", string () => throw new DomainException(DomainError.Conflict(ErrorCodes.Duplicate, "That name is taken.")));
        probe.MapGet("/organizations/{organizationId:guid}/members", async (Guid organizationId, RawQuery query, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new ListProbeMembersQuery(organizationId, query.Values), ct)))
            .AcceptsQuery(ListQueryParameters.PagedAnd(ListQueryParameters.Text, ListQueryParameters.CreatedAfter, ListQueryParameters.CreatedBefore));
        probe.MapGet("/limited", (int? limit) => Results.Ok(limit ?? 0));
        probe.MapGet("/log", (ILogger<ProbeEndpoints> logger) =>
        {
            logger.LogInformation("probe line");
            return Results.NoContent();
        }).AcceptsQuery("token"); // A query value the request log must not write.
    }
}

public enum ProbeKind
{
    PlainText,
    BarChart,
}

[AllowAnonymous]
public sealed record EchoProbeCommand(string? Name, int Count, ProbeKind Kind, DateTimeOffset? When = null, Guid? OwnerId = null) : IRequest<EchoProbeResult>;

public sealed record EchoProbeResult(Guid Id, string EchoedName, int Count, ProbeKind Kind, DateTimeOffset EchoedAt, DateTimeOffset? When);

internal sealed class EchoProbeCommandHandler(TimeProvider clock) : IRequestHandler<EchoProbeCommand, EchoProbeResult>
{
    public Task<EchoProbeResult> Handle(EchoProbeCommand request, CancellationToken cancellationToken) =>
        Task.FromResult(new EchoProbeResult(Guid.CreateVersion7(), request.Name!, request.Count, request.Kind, clock.GetUtcNow(), request.When));
}

internal sealed class EchoProbeNameValidator : AbstractValidator<EchoProbeCommand>
{
    public EchoProbeNameValidator() => RuleFor(c => c.Name).NotEmpty().WithMessage("A name is required.");
}

internal sealed class EchoProbeCountValidator : AbstractValidator<EchoProbeCommand>
{
    public EchoProbeCountValidator() => RuleFor(c => c.Count).InclusiveBetween(1, 10).WithMessage("Count must be between 1 and 10.");
}

/// <summary>Rules worded by the global message templates alone (no WithMessage).</summary>
internal sealed class EchoProbeLimitsValidator : AbstractValidator<EchoProbeCommand>
{
    public EchoProbeLimitsValidator()
    {
        RuleFor(c => c.Name).MaximumLength(20);
        RuleFor(c => c.OwnerId!.Value).NotEmpty().When(c => c.OwnerId is not null).OverridePropertyName(nameof(EchoProbeCommand.OwnerId));
    }
}

[Authorize(MinimumRole = Role.Editor)]
public sealed record GuardedProbeQuery : IRequest<string>;

internal sealed class GuardedProbeQueryHandler : IRequestHandler<GuardedProbeQuery, string>
{
    public Task<string> Handle(GuardedProbeQuery request, CancellationToken cancellationToken) => Task.FromResult("secret");
}

/// <summary>Lists the members of an organization it enters itself, as a background job would.</summary>
[AllowAnonymous]
public sealed record ListProbeMembersQuery(Guid OrganizationId, IReadOnlyDictionary<string, string?> Query) : IRequest<PagedResult<ProbeMemberDto>>;

public sealed record ProbeMemberDto(Guid Id, string Name, DateTimeOffset CreatedAt);

internal sealed class ListProbeMembersQueryHandler(ITenantScope tenant, IReadStore store, IQueryExecutor executor)
    : IRequestHandler<ListProbeMembersQuery, PagedResult<ProbeMemberDto>>
{
    private static readonly SortWhitelist<User> Sorts = SortWhitelist<User>.For()
        .Field("name", u => u.Name)
        .Field("created_at", u => u.CreatedAt)
        .TieBreaker(u => u.Id)
        .Default("name");

    public Task<PagedResult<ProbeMemberDto>> Handle(ListProbeMembersQuery request, CancellationToken cancellationToken)
    {
        var parameters = ListParameters.Parse(request.Query, Sorts);
        tenant.Enter(request.OrganizationId);
        return store.Query<User>()
            .ApplyText(parameters.Filter, u => u.Name)
            .ApplyCreatedRange(parameters.Filter, u => u.CreatedAt)
            .ToPageAsync(parameters, u => new ProbeMemberDto(u.Id, u.Name, u.CreatedAt), executor, cancellationToken);
    }
}
