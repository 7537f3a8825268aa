using System.Linq.Expressions;
using System.Reflection;
using Ardalis.Specification;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace Loupe.Infrastructure.Persistence.Specifications;

/// <summary>
/// Turns a specification's <c>Include</c>/<c>ThenInclude</c> chain into EF Core's. The navigation
/// types are only known at run time, so EF Core's generic methods are closed over them here.
/// </summary>
internal sealed class IncludeEvaluator : IEvaluator
{
    private static readonly MethodInfo Include = FindMethod(nameof(EntityFrameworkQueryableExtensions.Include), 2, afterCollection: null);
    private static readonly MethodInfo ThenIncludeAfterReference = FindMethod(nameof(EntityFrameworkQueryableExtensions.ThenInclude), 3, afterCollection: false);
    private static readonly MethodInfo ThenIncludeAfterCollection = FindMethod(nameof(EntityFrameworkQueryableExtensions.ThenInclude), 3, afterCollection: true);

    public static IncludeEvaluator Instance { get; } = new();

    private IncludeEvaluator()
    {
    }

    public bool IsCriteriaEvaluator => false;

    public IQueryable<T> GetQuery<T>(IQueryable<T> query, ISpecification<T> specification)
        where T : class
    {
        foreach (var include in specification.IncludeExpressions)
        {
            var navigation = include.LambdaExpression;
            var method = include.Type == IncludeTypeEnum.Include
                ? Include.MakeGenericMethod(typeof(T), navigation.ReturnType)
                : ThenInclude(typeof(T), include.PreviousPropertyType!, navigation);
            query = (IQueryable<T>)method.Invoke(null, [query, navigation])!;
        }

        return query;
    }

    /// <summary>
    /// After a reference the lambda takes the previous navigation's type itself; after a collection
    /// it takes the collection's element type, and EF Core's other overload applies.
    /// </summary>
    private static MethodInfo ThenInclude(Type entity, Type previous, LambdaExpression navigation)
    {
        var parameter = navigation.Parameters[0].Type;
        return parameter == previous
            ? ThenIncludeAfterReference.MakeGenericMethod(entity, previous, navigation.ReturnType)
            : ThenIncludeAfterCollection.MakeGenericMethod(entity, parameter, navigation.ReturnType);
    }

    private static MethodInfo FindMethod(string name, int genericArguments, bool? afterCollection) =>
        typeof(EntityFrameworkQueryableExtensions).GetMethods(BindingFlags.Public | BindingFlags.Static).Single(method =>
        {
            if (method.Name != name || method.GetGenericArguments().Length != genericArguments)
            {
                return false;
            }

            var parameters = method.GetParameters();
            if (parameters[1].ParameterType.GetGenericTypeDefinition() != typeof(Expression<>))
            {
                return false;
            }

            if (afterCollection is null)
            {
                return parameters[0].ParameterType.GetGenericTypeDefinition() == typeof(IQueryable<>);
            }

            // ThenInclude's source is IIncludableQueryable<TEntity, TPreviousProperty> after a
            // reference, and IIncludableQueryable<TEntity, IEnumerable<TPreviousProperty>> after a collection.
            var previous = parameters[0].ParameterType.GetGenericArguments()[1];
            return parameters[0].ParameterType.GetGenericTypeDefinition() == typeof(IIncludableQueryable<,>)
                   && previous.IsGenericParameter != afterCollection.Value;
        });
}
