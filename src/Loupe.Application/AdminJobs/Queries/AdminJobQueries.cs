using FluentValidation;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Security;
using MediatR;

namespace Loupe.Application.AdminJobs.Queries;

/// <summary>Counts per status, queue depths, the oldest wait and the throughput graphs (instance admins).</summary>
[Authorize(InstanceAdminOnly = true)]
public sealed record GetJobsOverviewQuery : IRequest<JobsOverviewDto>;

/// <summary>
/// One page of jobs of every organization, newest first; <paramref name="State"/> is a comma-separated
/// list of statuses; <paramref name="Cursor"/> is the previous page's <c>next_cursor</c>.
/// </summary>
[Authorize(InstanceAdminOnly = true)]
public sealed record ListAdminJobsQuery(
    string? State = null,
    string? Kind = null,
    Guid? OrganizationId = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? Cursor = null,
    int? Limit = null) : IRequest<AdminJobPageDto>
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
}

/// <summary>One job: what it serves, its allow-listed payload fields and its timeline (instance admins).</summary>
[Authorize(InstanceAdminOnly = true)]
public sealed record GetAdminJobQuery(Guid Id) : IRequest<AdminJobDetailDto>;

internal sealed class ListAdminJobsQueryValidator : AbstractValidator<ListAdminJobsQuery>
{
    public ListAdminJobsQueryValidator()
    {
        RuleFor(q => q.State).Must(state => AdminJobStatuses.TryParse(state, out _))
            .WithMessage($"state: a comma-separated list of {string.Join(", ", AdminJobStatuses.Names)}.")
            .When(q => q.State is not null).OverridePropertyName("state");
        RuleFor(q => q.Kind).MaximumLength(100).OverridePropertyName("kind");
        RuleFor(q => q.Cursor).Must(cursor => Guid.TryParse(cursor, out _))
            .WithMessage("cursor: the next_cursor of the previous page.")
            .When(q => q.Cursor is not null).OverridePropertyName("cursor");
        RuleFor(q => q.Limit).InclusiveBetween(1, ListAdminJobsQuery.MaxLimit)
            .WithMessage($"limit: from 1 to {ListAdminJobsQuery.MaxLimit}.")
            .When(q => q.Limit is not null).OverridePropertyName("limit");
        RuleFor(q => q.To).GreaterThan(q => q.From).WithMessage("to: after from.")
            .When(q => q.From is not null && q.To is not null).OverridePropertyName("to");
    }
}

internal sealed class GetJobsOverviewQueryHandler(IJobsReadModel readModel, IJobAdministration jobs, TimeProvider clock)
    : IRequestHandler<GetJobsOverviewQuery, JobsOverviewDto>
{
    public async Task<JobsOverviewDto> Handle(GetJobsOverviewQuery request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var counts = AdminJobStatuses.All.ToDictionary(AdminJobStatuses.Name, _ => 0L, StringComparer.Ordinal);
        foreach (var count in await readModel.CountAsync(cancellationToken).ConfigureAwait(false))
        {
            counts[AdminJobStatuses.Name(count.Status)] += count.Jobs;
        }

        var queues = await jobs.QueuesAsync(cancellationToken).ConfigureAwait(false);
        var oldest = queues.Count == 0 ? (DateTimeOffset?)null : queues.Min(q => q.OldestRunAt);
        var second = Floor(now, TimeSpan.FromSeconds(1));
        var hour = Floor(now, TimeSpan.FromHours(1));
        var day = Floor(now, TimeSpan.FromDays(1));
        return new JobsOverviewDto(
            now,
            counts,
            [.. queues.Select(q => new QueueDepthDto(q.Queue, q.Priority, q.Depth, q.OldestRunAt))],
            oldest is { } at ? Math.Max(0, (now - at).TotalSeconds) : null,
            await SeriesAsync(second, TimeSpan.FromSeconds(1), 60, ThroughputUnit.Second, cancellationToken).ConfigureAwait(false),
            await SeriesAsync(hour, TimeSpan.FromHours(1), 24, ThroughputUnit.Hour, cancellationToken).ConfigureAwait(false),
            await SeriesAsync(day, TimeSpan.FromDays(1), 7, ThroughputUnit.Day, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Exactly <paramref name="buckets"/> buckets ending with the current one, zero where nothing finished.</summary>
    private async Task<IReadOnlyList<ThroughputDto>> SeriesAsync(DateTimeOffset current, TimeSpan width, int buckets, ThroughputUnit unit, CancellationToken ct)
    {
        var first = current - (width * (buckets - 1));
        var found = (await jobs.ThroughputAsync(first, unit, ct).ConfigureAwait(false)).ToDictionary(b => b.Start);
        return [.. Enumerable.Range(0, buckets).Select(i => first + (width * i)).Select(start =>
            found.TryGetValue(start, out var b) ? new ThroughputDto(start, b.Succeeded, b.Failed) : new ThroughputDto(start, 0, 0))];
    }

    private static DateTimeOffset Floor(DateTimeOffset time, TimeSpan width) =>
        new(time.UtcTicks - (time.UtcTicks % width.Ticks), TimeSpan.Zero);
}

internal sealed class ListAdminJobsQueryHandler(IJobAdministration jobs, TimeProvider clock) : IRequestHandler<ListAdminJobsQuery, AdminJobPageDto>
{
    public async Task<AdminJobPageDto> Handle(ListAdminJobsQuery request, CancellationToken cancellationToken)
    {
        if (!AdminJobStatuses.TryParse(request.State, out var statuses))
        {
            throw new InvalidOperationException("The state filter was validated before.");
        }

        var limit = request.Limit ?? ListAdminJobsQuery.DefaultLimit;
        var filter = new JobPageFilter(
            statuses,
            string.IsNullOrEmpty(request.Kind) ? null : request.Kind,
            request.OrganizationId,
            request.Cursor is null ? null : Guid.Parse(request.Cursor),
            request.From,
            request.To);

        // One more than asked: whether there is a next page, without counting.
        var rows = await jobs.PageAsync(filter, limit + 1, cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var page = rows.Take(limit).Select(row => AdminJobDto.From(row, now)).ToList();
        return new AdminJobPageDto(page, rows.Count > limit ? page[^1].Id.ToString() : null);
    }
}

internal sealed class GetAdminJobQueryHandler(IJobAdministration jobs, TimeProvider clock) : IRequestHandler<GetAdminJobQuery, AdminJobDetailDto>
{
    public async Task<AdminJobDetailDto> Handle(GetAdminJobQuery request, CancellationToken cancellationToken)
    {
        var job = await jobs.GetAsync(request.Id, cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException("Job", request.Id);
        var payload = JobPayloadAllowList.Visible(job.Row.Summary.Kind, job.Payload);
        return new AdminJobDetailDto(AdminJobDto.From(job.Row, clock.GetUtcNow()), Serves(job.Row.Summary.Kind, payload), payload, Timeline(job.Row));
    }

    /// <summary>The resource a job works for, from its kind and its allow-listed ids.</summary>
    internal static JobTargetDto? Serves(string kind, IReadOnlyDictionary<string, string> payload)
    {
        Guid? Id(string field) => payload.TryGetValue(field, out var text) && Guid.TryParse(text, out var id) ? id : null;
        return kind switch
        {
            "query.run" or "alert.evaluate" when Id("run_id") is { } run => new JobTargetDto("run", run, $"/api/v1/runs/{run}"),
            "webhook.deliver" when Id("delivery_id") is { } delivery => new JobTargetDto("webhook_delivery", delivery, null),
            "webhook.fan_out" when Id("event_id") is { } @event => new JobTargetDto("webhook_event", @event, null),
            _ => null,
        };
    }

    private static List<JobTimelineEntryDto> Timeline(AdminJobRow row)
    {
        var s = row.Summary;
        var timeline = new List<JobTimelineEntryDto> { new("enqueued", s.EnqueuedAt, null) };
        if (s.StartedAt is { } started)
        {
            timeline.Add(new("started", started, "first attempt"));
        }

        if (row.ClaimedAt is { } claimed && claimed != s.StartedAt)
        {
            timeline.Add(new("claimed", claimed, $"attempt {s.Attempt} of {s.MaxAttempts}"));
        }

        if (row.CancelRequestedAt is { } cancel)
        {
            timeline.Add(new("cancel_requested", cancel, null));
        }

        if (s.FinishedAt is { } finished)
        {
            timeline.Add(new("finished", finished, AdminJobStatuses.Name(s.Status)));
        }
        else if (s.Status is JobStatus.Scheduled or JobStatus.Retrying)
        {
            timeline.Add(new("due", s.RunAt, AdminJobStatuses.Name(s.Status)));
        }

        return [.. timeline.OrderBy(e => e.At)];
    }
}
