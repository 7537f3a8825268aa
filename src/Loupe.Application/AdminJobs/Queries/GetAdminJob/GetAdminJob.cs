using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Security;
using MediatR;

namespace Loupe.Application.AdminJobs.Queries.GetAdminJob;

/// <summary>One job: what it serves, its allow-listed payload fields, its timeline and its attempts (instance admins).</summary>
[Authorize(InstanceAdminOnly = true)]
public sealed record GetAdminJobQuery(Guid Id) : IRequest<AdminJobDetailDto>;

internal sealed class GetAdminJobQueryHandler(IJobAdministration jobs, IJobsReadModel readModel, TimeProvider clock) : IRequestHandler<GetAdminJobQuery, AdminJobDetailDto>
{
    public async Task<AdminJobDetailDto> Handle(GetAdminJobQuery request, CancellationToken cancellationToken)
    {
        var job = await jobs.GetAsync(request.Id, cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException("Job", request.Id);
        var payload = JobPayloadAllowList.Visible(job.Row.Summary.Kind, job.Payload);
        var attempts = await readModel.AttemptsAsync(request.Id, cancellationToken).ConfigureAwait(false);
        return new AdminJobDetailDto(
            AdminJobDto.From(job.Row, clock.GetUtcNow()),
            Serves(job.Row.Summary.Kind, payload),
            payload,
            Timeline(job.Row),
            [.. attempts.Select(JobAttemptDto.From)]);
    }

    /// <summary>The resource a job works for, from its kind and its allow-listed ids.</summary>
    internal static JobTargetDto? Serves(string kind, IReadOnlyDictionary<string, string> payload)
    {
        Guid? Id(string field) => payload.TryGetValue(field, out var text) && Guid.TryParse(text, out var id) ? id : null;
        return kind switch
        {
            "query.run" or "alert.evaluate" when Id("run_id") is { } run => new JobTargetDto(JobTargetType.Run, run, $"/api/v1/runs/{run}"),
            "webhook.deliver" when Id("delivery_id") is { } delivery => new JobTargetDto(JobTargetType.WebhookDelivery, delivery, null),
            "webhook.fan_out" when Id("event_id") is { } @event => new JobTargetDto(JobTargetType.WebhookEvent, @event, null),
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
