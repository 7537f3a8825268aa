using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Security;
using MediatR;

namespace Loupe.Application.AdminJobs.Queries.GetJobCounts;

/// <summary>
/// Jobs per status, every status present (instance admins): the overview's counts alone, for the
/// dashboard's list pages, whose state tabs show them without the overview's graphs and lists.
/// </summary>
[Authorize(InstanceAdminOnly = true)]
public sealed record GetJobCountsQuery : IRequest<IReadOnlyDictionary<string, long>>;

internal sealed class GetJobCountsQueryHandler(IJobsReadModel readModel) : IRequestHandler<GetJobCountsQuery, IReadOnlyDictionary<string, long>>
{
    public async Task<IReadOnlyDictionary<string, long>> Handle(GetJobCountsQuery request, CancellationToken cancellationToken) =>
        AdminJobStatuses.Totals(await readModel.CountAsync(cancellationToken).ConfigureAwait(false));
}
