using Ardalis.Specification;

namespace Loupe.Infrastructure.Persistence.Specifications;

/// <summary>
/// Runs Ardalis specifications on EF Core queries. Ardalis.Specification's own EF Core evaluator is
/// not available to us, so this is ours: the core's where, order and paging evaluators, our include
/// and query-option evaluators, and a guard that refuses every clause we do not evaluate rather than
/// dropping it silently.
/// </summary>
public static class SpecificationEvaluator
{
    // The order matters: filters before includes, ordering before paging, EF Core options last.
    private static readonly IEvaluator[] Evaluators =
    [
        UnsupportedClauseGuard.Instance,
        WhereEvaluator.Instance,
        IncludeEvaluator.Instance,
        OrderEvaluator.Instance,
        PaginationEvaluator.Instance,
        QueryOptionsEvaluator.Instance,
    ];

    /// <summary>Applies every clause of <paramref name="specification"/> to <paramref name="source"/>, typically a <c>DbSet&lt;T&gt;</c>.</summary>
    /// <exception cref="NotSupportedException">The specification uses a clause this evaluator does not run.</exception>
    public static IQueryable<T> WithSpecification<T>(this IQueryable<T> source, ISpecification<T> specification)
        where T : class => Evaluate(source, specification, criteriaOnly: false);

    /// <summary>Applies only the criteria (for counting): no includes, ordering, paging or options.</summary>
    /// <exception cref="NotSupportedException">The specification uses a clause this evaluator does not run.</exception>
    public static IQueryable<T> WithCriteriaOf<T>(this IQueryable<T> source, ISpecification<T> specification)
        where T : class => Evaluate(source, specification, criteriaOnly: true);

    /// <summary>Applies <paramref name="specification"/> and then its <c>Select</c>, so the database returns only what the selector reads.</summary>
    /// <exception cref="NotSupportedException">The specification uses a clause this evaluator does not run (<c>SelectMany</c> included).</exception>
    /// <exception cref="InvalidOperationException">The specification has no <c>Select</c>.</exception>
    public static IQueryable<TResult> WithSpecification<T, TResult>(this IQueryable<T> source, ISpecification<T, TResult> specification)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(specification);
        if (specification.SelectorMany is not null)
        {
            throw UnsupportedClauseGuard.Refuse(specification, "SelectMany");
        }

        if (specification.PostProcessingAction is not null)
        {
            throw UnsupportedClauseGuard.Refuse(specification, "PostProcessingAction");
        }

        var selector = specification.Selector
            ?? throw new InvalidOperationException($"The specification {specification.GetType().Name} has no Select.");
        return source.WithSpecification((ISpecification<T>)specification).Select(selector);
    }

    private static IQueryable<T> Evaluate<T>(IQueryable<T> source, ISpecification<T> specification, bool criteriaOnly)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(specification);
        var query = source;
        foreach (var evaluator in Evaluators)
        {
            if (!criteriaOnly || evaluator.IsCriteriaEvaluator)
            {
                query = evaluator.GetQuery(query, specification);
            }
        }

        return query;
    }
}
