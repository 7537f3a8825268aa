using System.Text.Json;
using FluentValidation;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Organizations;
using Loupe.Domain.Queries;
using Loupe.Domain.Schedules;
using MediatR;

namespace Loupe.Application.Schedules.Commands.CreateSchedule;

/// <summary>
/// Schedules a saved query of the caller's organization (editor): <c>parameters</c> are checked
/// against the query's parameters as a run's values are; <c>cron</c> has 5 fields, or 6 with
/// seconds, and may not fire more often than the minimum interval; <c>timezone</c> is an IANA zone,
/// the organization's when left out. Enabled unless <c>enabled</c> is false.
/// </summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record CreateScheduleCommand(
    Guid QueryId,
    string? Name,
    string? Cron,
    IReadOnlyDictionary<string, JsonElement>? Parameters = null,
    string? Timezone = null,
    bool? Enabled = null,
    IReadOnlyList<string?>? Tags = null) : IRequest<Versioned<ScheduleDto>>
{
    /// <summary>Never the parameter values.</summary>
    public override string ToString() => $"CreateScheduleCommand {{ QueryId = {QueryId}, Cron = {Cron}, Timezone = {Timezone} }}";
}

internal sealed class CreateScheduleCommandValidator : AbstractValidator<CreateScheduleCommand>
{
    public CreateScheduleCommandValidator()
    {
        RuleFor(c => c.QueryId).NotEmpty();
        RuleFor(c => c.Name).NotEmpty().MaximumLength(Schedule.NameMaxLength);
        RuleFor(c => c.Cron).NotEmpty().MaximumLength(Schedule.CronMaxLength);
        RuleFor(c => c.Timezone).MaximumLength(Schedule.TimeZoneMaxLength);
    }
}

internal sealed class CreateScheduleCommandHandler(
    ICurrentUser currentUser,
    ITenantScope tenant,
    IRepository<SavedQuery> queries,
    IReadStore store,
    IQueryExecutor executor,
    IRepository<Schedule> schedules,
    IFireTimes times,
    ScheduleRules rules,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<CreateScheduleCommand, Versioned<ScheduleDto>>
{
    public async Task<Versioned<ScheduleDto>> Handle(CreateScheduleCommand request, CancellationToken cancellationToken)
    {
        var ownerId = currentUser.UserId ?? throw new ForbiddenException("A schedule is owned by a user.");
        var query = await ScheduleInput.QueryAsync(queries, request.QueryId, cancellationToken).ConfigureAwait(false);
        var zone = await ScheduleInput.ZoneAsync(tenant, store, executor, request.Timezone, cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var schedule = Schedule.Create(
            Guid.CreateVersion7(now),
            query,
            ownerId,
            request.Name,
            ScheduleInput.Values(request.Parameters),
            request.Cron,
            zone,
            request.Enabled ?? true,
            request.Tags,
            times,
            rules,
            now);
        schedules.Add(schedule);
        audit.Record(AuditActions.ScheduleCreated, new AuditTarget("schedule", schedule.Id));
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return new Versioned<ScheduleDto>(ScheduleDto.From(schedule), schedule.RowVersion);
    }
}
