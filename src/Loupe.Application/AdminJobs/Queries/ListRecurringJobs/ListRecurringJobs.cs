using FluentValidation;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Security;
using MediatR;

namespace Loupe.Application.AdminJobs.Queries.ListRecurringJobs;

/// <summary>
/// The system jobs, and one page of every organization's schedules (archived ones left out) in id
/// order; <paramref name="Cursor"/> is the previous page's <c>next_cursor</c>.
/// </summary>
[Authorize(InstanceAdminOnly = true)]
public sealed record ListRecurringJobsQuery(string? Cursor = null, int? Limit = null) : IRequest<RecurringJobsDto>
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;
}

internal sealed class ListRecurringJobsQueryValidator : AbstractValidator<ListRecurringJobsQuery>
{
    public ListRecurringJobsQueryValidator()
    {
        RuleFor(q => q.Cursor).Must(cursor => Guid.TryParse(cursor, out _))
            .WithMessage("cursor: the next_cursor of the previous page.")
            .When(q => q.Cursor is not null).OverridePropertyName("cursor");
        RuleFor(q => q.Limit).InclusiveBetween(1, ListRecurringJobsQuery.MaxLimit)
            .WithMessage($"limit: from 1 to {ListRecurringJobsQuery.MaxLimit}.")
            .When(q => q.Limit is not null).OverridePropertyName("limit");
    }
}

internal sealed class ListRecurringJobsQueryHandler(IRecurringJobs recurring, TimeProvider clock) : IRequestHandler<ListRecurringJobsQuery, RecurringJobsDto>
{
    public async Task<RecurringJobsDto> Handle(ListRecurringJobsQuery request, CancellationToken cancellationToken)
    {
        var limit = request.Limit ?? ListRecurringJobsQuery.DefaultLimit;

        // One more than asked: whether there is a next page, without counting.
        var rows = await recurring.SchedulesAsync(request.Cursor is null ? null : Guid.Parse(request.Cursor), limit + 1, cancellationToken).ConfigureAwait(false);
        var schedules = rows.Take(limit).Select(RecurringScheduleDto.From).ToList();
        var systemJobs = await SystemJobsAsync(recurring, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return new RecurringJobsDto(systemJobs, schedules, rows.Count > limit ? schedules[^1].Id.ToString() : null);
    }

    internal static async Task<IReadOnlyList<SystemJobDto>> SystemJobsAsync(IRecurringJobs recurring, DateTimeOffset now, CancellationToken ct)
    {
        var definitions = recurring.SystemJobs;
        var pauses = await recurring.PausesAsync(ct).ConfigureAwait(false);
        var latest = await recurring.LatestAsync([.. definitions.Select(d => d.Kind)], ct).ConfigureAwait(false);
        return [.. definitions.Select(definition => SystemJob(definition, pauses.GetValueOrDefault(definition.Kind), latest.GetValueOrDefault(definition.Kind), now))];
    }

    private static SystemJobDto SystemJob(SystemJobDefinition definition, SystemJobPause? pause, LatestSystemJob? last, DateTimeOffset now)
    {
        var state = pause is not null ? "paused" : definition.Interval is null ? "off" : "active";
        DateTimeOffset? next = null;
        if (state == "active")
        {
            next = last switch
            {
                { Status: JobStatus.Queued or JobStatus.Scheduled or JobStatus.Retrying } => last.RunAt,
                not null when last.EnqueuedAt + definition.Interval!.Value > now => last.EnqueuedAt + definition.Interval.Value,
                _ => now,
            };
        }

        return new SystemJobDto(
            definition.Kind,
            definition.Description,
            IntervalText(definition.Interval),
            definition.Interval is { } interval ? (long)interval.TotalSeconds : null,
            state,
            pause?.PausedAt,
            next,
            last?.Id,
            last?.Status,
            last?.EnqueuedAt,
            last?.FinishedAt,
            last?.Error);
    }

    /// <summary>"every 15 minutes", "every hour", "every 2 hours"; "never" when the timer is off.</summary>
    internal static string IntervalText(TimeSpan? interval) => interval switch
    {
        null => "never",
        { TotalMinutes: 1 } => "every minute",
        { TotalHours: 1 } => "every hour",
        { TotalMinutes: var minutes } when minutes % 60 == 0 => $"every {minutes / 60:0} hours",
        { TotalMinutes: var minutes } => $"every {minutes:0} minutes",
    };
}
