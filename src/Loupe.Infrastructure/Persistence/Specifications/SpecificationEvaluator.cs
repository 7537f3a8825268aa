using System.Linq.Expressions;
using System.Reflection;
using Loupe.Application.Common.Specifications;
using Microsoft.EntityFrameworkCore;

namespace Loupe.Infrastructure.Persistence.Specifications;

/// <summary>
/// Turns a <see cref="Specification{T}"/> into an EF Core query: the EF-only parts (tracking,
/// includes) are applied here so the application layer stays free of EF Core.
/// </summary>
public static class SpecificationEvaluator
{
    private static readonly MethodInfo IncludeMethod = typeof(EntityFrameworkQueryableExtensions)
        .GetMethods()
        .Single(m => m.Name == nameof(EntityFrameworkQueryableExtensions.Include)
                     && m.GetGenericArguments().Length == 2
                     && m.GetParameters()[1].ParameterType.IsGenericType);

    /// <summary>Applies <paramref name="specification"/> to <paramref name="source"/>, typically a <c>DbSet&lt;T&gt;</c>.</summary>
    public static IQueryable<T> WithSpecification<T>(this IQueryable<T> source, Specification<T> specification)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(specification);

        var query = specification.AsNoTracking ? source.AsNoTracking() : source;
        query = specification.Includes.Aggregate(query, Include);
        return specification.ApplyTo(query);
    }

    /// <summary>Calls <c>Include&lt;T, TProperty&gt;</c> with the navigation's real type, which the lambda's type only knows at run time.</summary>
    private static IQueryable<T> Include<T>(IQueryable<T> query, LambdaExpression navigation)
        where T : class =>
        (IQueryable<T>)IncludeMethod.MakeGenericMethod(typeof(T), navigation.ReturnType).Invoke(null, [query, navigation])!;
}
