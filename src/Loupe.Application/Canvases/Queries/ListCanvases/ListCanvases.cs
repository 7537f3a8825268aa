using Loupe.Application.Common;
using Loupe.Application.Common.Paging;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Canvases;
using MediatR;

namespace Loupe.Application.Canvases.Queries.ListCanvases;

/// <summary>
/// The organization's canvases, without their graphs. Active ones unless <c>status=archived</c>;
/// <c>q</c> searches names and descriptions, plus the created/updated ranges. Sorted by <c>name</c>,
/// <c>created_at</c> or <c>updated_at</c> (default <c>-updated_at</c>). Every row's time preset is
/// resolved at the same moment in the organization's zone, read once for the page.
/// </summary>
[Authorize]
public sealed record ListCanvasesQuery(IReadOnlyDictionary<string, string?> Query) : IRequest<PagedResult<CanvasSummaryDto>>;

internal sealed class ListCanvasesQueryHandler(ITenantScope tenant, IReadStore store, IQueryExecutor executor, TimeProvider clock)
    : IRequestHandler<ListCanvasesQuery, PagedResult<CanvasSummaryDto>>
{
    private static readonly SortWhitelist<Canvas> Sorts = SortWhitelist<Canvas>.For()
        .Field("name", c => c.Name)
        .Field("created_at", c => c.CreatedAt)
        .Field("updated_at", c => c.UpdatedAt)
        .TieBreaker(c => c.Id)
        .Default("-updated_at");

    private static readonly IReadOnlyList<string> Statuses = ItemStatuses.All;

    public async Task<PagedResult<CanvasSummaryDto>> Handle(ListCanvasesQuery request, CancellationToken cancellationToken)
    {
        var parameters = ListParameters.Parse(request.Query, Sorts, Statuses);
        var rows = store.Query<Canvas>()
            .ApplyItemStatus(parameters.Filter, c => c.ArchivedAt)
            .ApplyText(parameters.Filter, c => c.Name, c => c.Description)
            .ApplyCreatedRange(parameters.Filter, c => c.CreatedAt)
            .ApplyUpdatedRange(parameters.Filter, c => c.UpdatedAt);

        // The graph stays in the database: a row is read without its nodes and edges.
        var page = await rows.ToPageAsync(
                parameters,
                c => new CanvasRow(c.Id, c.Name, c.Description, c.TimePreset.Kind, c.TimePreset.Start, c.TimePreset.End, c.ArchivedAt, c.CreatedAt, c.UpdatedAt),
                executor,
                cancellationToken)
            .ConfigureAwait(false);
        var windows = await CanvasWindows.AtAsync(clock.GetUtcNow(), tenant, store, executor, cancellationToken).ConfigureAwait(false);
        return page.Map(row => new CanvasSummaryDto(
            row.Id,
            row.Name,
            row.Description,
            TimePresetDto.From(row.Kind, row.Start, row.End),
            windows.Of(row.Kind, row.Start, row.End),
            ItemStatuses.Of(row.ArchivedAt),
            row.ArchivedAt,
            row.CreatedAt,
            row.UpdatedAt));
    }

    private sealed record CanvasRow(
        Guid Id,
        string Name,
        string? Description,
        TimePresetKind Kind,
        DateTimeOffset? Start,
        DateTimeOffset? End,
        DateTimeOffset? ArchivedAt,
        DateTimeOffset CreatedAt,
        DateTimeOffset UpdatedAt);
}
