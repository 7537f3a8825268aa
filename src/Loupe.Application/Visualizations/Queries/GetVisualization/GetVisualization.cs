using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Results;
using Loupe.Application.Common.Security;
using Loupe.Domain.Visualizations;
using MediatR;

namespace Loupe.Application.Visualizations.Queries.GetVisualization;

/// <summary>A visualization, archived or not, with warnings for the columns its query's latest result no longer has.</summary>
[Authorize]
public sealed record GetVisualizationQuery(Guid Id) : IRequest<Versioned<VisualizationDto>>;

internal sealed class GetVisualizationQueryHandler(IReadStore store, IQueryExecutor executor, ILatestResultColumns latestResults)
    : IRequestHandler<GetVisualizationQuery, Versioned<VisualizationDto>>
{
    public async Task<Versioned<VisualizationDto>> Handle(GetVisualizationQuery request, CancellationToken cancellationToken)
    {
        var visualization = await executor.FirstOrDefaultAsync(store.Query<Visualization>().Where(v => v.Id == request.Id), cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Visualization", request.Id);
        var resultColumns = await latestResults.OfAsync(visualization.QueryId, cancellationToken).ConfigureAwait(false);
        return new Versioned<VisualizationDto>(VisualizationDto.From(visualization, resultColumns), visualization.RowVersion);
    }
}
