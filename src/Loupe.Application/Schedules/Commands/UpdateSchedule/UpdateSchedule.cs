using System.Text.Json;
using FluentValidation;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Patching;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Organizations;
using Loupe.Domain.Queries;
using Loupe.Domain.Schedules;
using MediatR;

namespace Loupe.Application.Schedules.Commands.UpdateSchedule;

/// <summary>
/// Changes a schedule (editor); fields left out stay as they are. A new <c>cron</c> or
/// <c>timezone</c> computes the next time anew from now; <c>enabled: true</c> on a paused or disabled
/// schedule starts it from now, with its failure count at zero; new <c>parameters</c> replace the
/// old ones whole and are checked against the query's parameters as they are now. An archived
/// schedule cannot be changed (409); a stale <c>If-Match</c> is a 412.
/// </summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record UpdateScheduleCommand(
    Guid Id,
    string? Name = null,
    string? Cron = null,
    IReadOnlyDictionary<string, JsonElement>? Parameters = null,
    string? Timezone = null,
    bool ResetTimezone = false,
    bool? Enabled = null,
    IReadOnlyList<string?>? Tags = null,
    VersionPrecondition? IfMatch = null,
    IReadOnlyList<string>? RequiredResets = null) : IRequest<Versioned<ScheduleDto>>
{
    /// <summary>Never the parameter values.</summary>
    public override string ToString() => $"UpdateScheduleCommand {{ Id = {Id}, Cron = {Cron}, Timezone = {Timezone}, Enabled = {Enabled} }}";
}

/// <summary>
/// The body of PATCH /schedules/{id}, a JSON Merge Patch: <c>null</c> resets <c>parameters</c> (every
/// parameter its default), <c>timezone</c> (the organization's) and <c>tags</c> (none); <c>name</c>,
/// <c>cron</c> and <c>enabled</c> cannot be reset. <c>parameters</c> is replaced whole.
/// </summary>
public sealed class UpdateScheduleRequest : MergePatchBody
{
    public string? Name { get; init => field = Sent(value); }

    public string? Cron { get; init => field = Sent(value); }

    public Dictionary<string, JsonElement>? Parameters { get; init => field = Sent(value); }

    public string? Timezone { get; init => field = Sent(value); }

    public bool? Enabled { get; init => field = Sent(value); }

    public IReadOnlyList<string?>? Tags { get; init => field = Sent(value); }

    public UpdateScheduleCommand ToCommand(Guid id, VersionPrecondition? ifMatch) =>
        new(
            id,
            Name,
            Cron,
            IsReset(nameof(Parameters), Parameters) ? new Dictionary<string, JsonElement>() : Parameters,
            Timezone,
            IsReset(nameof(Timezone), Timezone),
            Enabled,
            IsReset(nameof(Tags), Tags) ? [] : Tags,
            ifMatch,
            RequiredReset(string.Empty, (nameof(Name), Name), (nameof(Cron), Cron), (nameof(Enabled), Enabled)));

    /// <summary>Never the parameter values.</summary>
    public override string ToString() => $"UpdateScheduleRequest {{ Cron = {Cron}, Timezone = {Timezone}, Enabled = {Enabled} }}";
}

internal sealed class UpdateScheduleCommandValidator : AbstractValidator<UpdateScheduleCommand>
{
    public UpdateScheduleCommandValidator()
    {
        this.RefuseRequiredResets(c => c.RequiredResets);
        RuleFor(c => c.Name).NotEmpty().MaximumLength(Schedule.NameMaxLength).When(c => c.Name is not null);
        RuleFor(c => c.Cron).NotEmpty().MaximumLength(Schedule.CronMaxLength).When(c => c.Cron is not null);
        RuleFor(c => c.Timezone).MaximumLength(Schedule.TimeZoneMaxLength);
        RuleFor(c => c)
            .Must(c => c.Name is not null || c.Cron is not null || c.Parameters is not null || c.Timezone is not null || c.ResetTimezone
                || c.Enabled is not null || c.Tags is not null)
            .When(c => c.RequiredResets is not { Count: > 0 })
            .WithName("body").WithMessage("Give a name, cron, parameters, timezone, enabled or tags to change.");
    }
}

internal sealed class UpdateScheduleCommandHandler(
    ITenantScope tenant,
    IRepository<Schedule> schedules,
    IRepository<SavedQuery> queries,
    IReadStore store,
    IQueryExecutor executor,
    IFireTimes times,
    ScheduleRules rules,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<UpdateScheduleCommand, Versioned<ScheduleDto>>
{
    public async Task<Versioned<ScheduleDto>> Handle(UpdateScheduleCommand request, CancellationToken cancellationToken)
    {
        var schedule = await schedules.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Schedule", request.Id);
        request.IfMatch?.Check(schedule.RowVersion);
        schedule.EnsureActive();

        var now = clock.GetUtcNow();
        if (request.Name is not null)
        {
            schedule.Rename(request.Name, now);
        }

        if (request.Parameters is not null)
        {
            var query = await ScheduleInput.QueryAsync(queries, schedule.QueryId, cancellationToken).ConfigureAwait(false);
            schedule.ChangeParameters(query, ScheduleInput.Values(request.Parameters), now);
        }

        if (request.Cron is not null || request.Timezone is not null || request.ResetTimezone)
        {
            var zone = request.ResetTimezone
                ? await ScheduleInput.ZoneAsync(tenant, store, executor, null, cancellationToken).ConfigureAwait(false)
                : request.Timezone ?? schedule.TimeZone;
            schedule.Reschedule(request.Cron ?? schedule.Cron, zone, times, rules, now);
        }

        if (request.Enabled == true)
        {
            schedule.Enable(times, now);
        }
        else if (request.Enabled == false)
        {
            schedule.Disable(now);
        }

        if (request.Tags is not null)
        {
            schedule.Retag(request.Tags, now);
        }

        audit.Record(AuditActions.ScheduleUpdated, new AuditTarget("schedule", schedule.Id));
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return new Versioned<ScheduleDto>(ScheduleDto.From(schedule), schedule.RowVersion);
    }
}
