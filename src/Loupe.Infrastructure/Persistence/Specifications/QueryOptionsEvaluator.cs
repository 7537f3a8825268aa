using Ardalis.Specification;
using Microsoft.EntityFrameworkCore;

namespace Loupe.Infrastructure.Persistence.Specifications;

/// <summary>The EF Core options a specification may ask for: tracking or not, split queries, and query tags.</summary>
internal sealed class QueryOptionsEvaluator : IEvaluator
{
    public static QueryOptionsEvaluator Instance { get; } = new();

    private QueryOptionsEvaluator()
    {
    }

    public bool IsCriteriaEvaluator => false;

    public IQueryable<T> GetQuery<T>(IQueryable<T> query, ISpecification<T> specification)
        where T : class
    {
        if (specification.AsNoTracking)
        {
            query = query.AsNoTracking();
        }
        else if (specification.AsTracking)
        {
            query = query.AsTracking();
        }

        if (specification.AsSplitQuery)
        {
            query = query.AsSplitQuery();
        }

        return specification.QueryTags.Aggregate(query, (tagged, tag) => tagged.TagWith(tag));
    }
}
