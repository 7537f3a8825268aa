using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Runs;
using Mapster;
using MediatR;

namespace Loupe.Application.Runs.Queries.GetRun;

/// <summary>A run the caller may see (404 otherwise: see <see cref="QueryRun.IsVisibleTo"/>) with its row version, so clients that poll it get an <c>ETag</c> (and 304 until it changes).</summary>
[Authorize]
public sealed record GetRunQuery(Guid Id) : IRequest<Versioned<RunDto>>;

internal sealed class GetRunQueryHandler(ICurrentUser caller, IReadStore store, IQueryExecutor executor, TypeAdapterConfig mapping)
    : IRequestHandler<GetRunQuery, Versioned<RunDto>>
{
    public async Task<Versioned<RunDto>> Handle(GetRunQuery request, CancellationToken cancellationToken) =>
        await executor.FirstOrDefaultAsync(
            store.Query<QueryRun>().VisibleTo(caller).Where(r => r.Id == request.Id).ProjectToType<Versioned<RunDto>>(mapping),
            cancellationToken).ConfigureAwait(false)
        ?? throw new NotFoundException("Run", request.Id);
}
