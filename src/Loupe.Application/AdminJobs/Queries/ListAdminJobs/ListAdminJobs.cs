using FluentValidation;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Security;
using MediatR;

namespace Loupe.Application.AdminJobs.Queries.ListAdminJobs;

/// <summary>
/// One page of jobs of every organization, newest first; <paramref name="State"/> is a comma-separated
/// list of statuses; <paramref name="Cursor"/> is the previous page's <c>next_cursor</c>; <paramref name="Queue"/>
/// narrows to one queue (with <c>queued</c>, that queue's waiting jobs).
/// </summary>
[Authorize(InstanceAdminOnly = true)]
public sealed record ListAdminJobsQuery(
    string? State = null,
    string? Kind = null,
    Guid? OrganizationId = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? Cursor = null,
    int? Limit = null,
    string? Queue = null) : IRequest<AdminJobPageDto>
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
}

internal sealed class ListAdminJobsQueryValidator : AbstractValidator<ListAdminJobsQuery>
{
    public ListAdminJobsQueryValidator()
    {
        RuleFor(q => q.State).Must(state => AdminJobStatuses.TryParse(state, out _))
            .WithMessage($"state: a comma-separated list of {string.Join(", ", AdminJobStatuses.Names)}.")
            .When(q => q.State is not null).OverridePropertyName("state");
        RuleFor(q => q.Kind).MaximumLength(100).OverridePropertyName("kind");
        RuleFor(q => q.Queue).Must(JobQueueNames.IsValid)
            .WithMessage($"queue: a queue's name, 1–{JobQueueNames.MaxLength} lower-case letters, digits, '.', '-' or '_'.")
            .When(q => q.Queue is not null).OverridePropertyName("queue");
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
            request.To,
            request.Queue);

        // One more than asked: whether there is a next page, without counting.
        var rows = await jobs.PageAsync(filter, limit + 1, cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var page = rows.Take(limit).Select(row => AdminJobDto.From(row, now)).ToList();
        return new AdminJobPageDto(page, rows.Count > limit ? page[^1].Id.ToString() : null);
    }
}
