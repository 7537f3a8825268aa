using Loupe.Application.Common.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Loupe.Infrastructure.Persistence;

/// <summary>Reads never track: nothing a query handler loads can be saved by accident.</summary>
internal sealed class ReadStore(LoupeDbContext context) : IReadStore
{
    public IQueryable<T> Query<T>()
        where T : class => context.Set<T>().AsNoTracking();
}
