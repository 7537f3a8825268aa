using Ardalis.Specification;

namespace Loupe.Infrastructure.Persistence.Specifications;

/// <summary>
/// Fails loudly on the clauses Loupe does not evaluate, instead of running a query that quietly
/// ignores part of what the specification says. Ignoring query filters is refused for good: the
/// tenant filter must always apply (ADR 0017). The others are refused until a use case needs them.
/// </summary>
internal sealed class UnsupportedClauseGuard : IEvaluator
{
    public static UnsupportedClauseGuard Instance { get; } = new();

    private UnsupportedClauseGuard()
    {
    }

    // A criteria evaluator, so counting checks the clauses too.
    public bool IsCriteriaEvaluator => true;

    public IQueryable<T> GetQuery<T>(IQueryable<T> query, ISpecification<T> specification)
        where T : class
    {
        var clause = specification switch
        {
            { IgnoreQueryFilters: true } => "IgnoreQueryFilters",
            { IgnoreAutoIncludes: true } => "IgnoreAutoIncludes",
            { AsNoTrackingWithIdentityResolution: true } => "AsNoTrackingWithIdentityResolution",
            { CacheEnabled: true } => "EnableCache",
            { PostProcessingAction: not null } => "PostProcessingAction",
            _ when specification.SearchCriterias.Any() => "Search",
            _ when specification.IncludeStrings.Any() => "Include(string)",
            _ => null,
        };
        return clause is null ? query : throw Refuse(specification, clause);
    }

    public static NotSupportedException Refuse(object specification, string clause) =>
        new($"The specification {specification.GetType().Name} uses {clause}, which Loupe's specification evaluator does not support.");
}
